#!/usr/bin/python3
"""Writes an ONNX image encoder with the shapes of CLIP ViT-B/32's visual tower and random weights.

Architecture (OpenAI CLIP ``VisionTransformer``): a 32 x 32 stride-32 convolution (no bias) turns a 224 x 224 RGB
image into 7 x 7 = 49 patches of width 768; a class token is prepended and positional embeddings added (50 tokens);
ln_pre; 12 residual blocks of pre-norm multi-head attention (12 heads of 64) and an MLP of width 3072 with QuickGELU;
ln_post on the class token; a 768 x 512 projection. About 88 M parameters (~350 MB of float32), 4.4 GMAC per image:
the real model's cost, measured without downloading its weights. Weights are seeded normal(0, 0.02) as CLIP
initialises them; LayerNorms are (1, 0). Input ``pixel_values`` [batch, 3, 224, 224] float, output ``image_embeds``
[batch, 512] float, opset 17 (LayerNormalization), IR 8.

With --stub it writes a model with the same input and output and almost no compute (a spatial mean and a 3 x 512
product), so a benchmark can time the pipeline around the model.

Usage: clip_vit_b32_random.py OUT.onnx [--layers 12] [--seed 0] [--stub]
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WIDTH = 768
HEADS = 12
HEAD_DIM = WIDTH // HEADS
MLP = 4 * WIDTH
PATCH = 32
IMAGE = 224
GRID = IMAGE // PATCH
TOKENS = GRID * GRID + 1
OUTPUT = 512


def build(layers: int, seed: int) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    nodes, inits = [], []

    def weight(name, shape, std=0.02):
        inits.append(numpy_helper.from_array(rng.normal(0.0, std, size=shape).astype(np.float32), name))
        return name

    def const(name, values, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.asarray(values, dtype=dtype), name))
        return name

    def node(op, inputs, name, **attrs):
        nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def layer_norm(x, prefix):
        scale = const(prefix + ".weight", np.ones(WIDTH))
        bias = const(prefix + ".bias", np.zeros(WIDTH))
        return node("LayerNormalization", [x, scale, bias], prefix + ".out", axis=-1, epsilon=1e-5)

    def linear(x, prefix, n_in, n_out, bias=True):
        y = node("MatMul", [x, weight(prefix + ".weight", (n_in, n_out))], prefix + ".matmul")
        return node("Add", [y, const(prefix + ".bias", np.zeros(n_out))], prefix + ".out") if bias else y

    # Patch embedding: [b, 3, 224, 224] -> [b, 768, 7, 7] -> [b, 49, 768].
    x = node("Conv", ["pixel_values", weight("conv1.weight", (WIDTH, 3, PATCH, PATCH))], "conv1.out",
             kernel_shape=[PATCH, PATCH], strides=[PATCH, PATCH])
    x = node("Reshape", [x, const("shape.patches", [0, WIDTH, GRID * GRID], np.int64)], "patches.flat")
    x = node("Transpose", [x], "patches", perm=[0, 2, 1])

    # Class token, broadcast to the batch: [1, 1, 768] expanded to [b, 1, 768].
    batch = node("Shape", [x], "x.shape", start=0, end=1)
    cls_shape = node("Concat", [batch, const("shape.cls_tail", [1, WIDTH], np.int64)], "cls.shape", axis=0)
    cls = node("Expand", [weight("class_embedding", (1, 1, WIDTH)), cls_shape], "cls")
    x = node("Concat", [cls, x], "tokens", axis=1)
    x = node("Add", [x, weight("positional_embedding", (TOKENS, WIDTH))], "tokens.pos")
    x = layer_norm(x, "ln_pre")

    heads_shape = const("shape.heads", [0, TOKENS, HEADS, HEAD_DIM], np.int64)
    merge_shape = const("shape.merge", [0, TOKENS, WIDTH], np.int64)
    scale = const("attn.scale", [1.0 / np.sqrt(HEAD_DIM)])
    quick_gelu = const("quick_gelu.alpha", [1.702])
    for i in range(layers):
        p = f"blocks.{i}"
        h = layer_norm(x, p + ".ln_1")
        qkv = linear(h, p + ".attn.in_proj", WIDTH, 3 * WIDTH)
        nodes.append(helper.make_node("Split", [qkv, const(p + ".split", [WIDTH] * 3, np.int64)],
                                      [p + ".q", p + ".k", p + ".v"], name=p + ".split", axis=-1))
        q = node("Transpose", [node("Reshape", [p + ".q", heads_shape], p + ".q.heads")], p + ".q.t", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [p + ".k", heads_shape], p + ".k.heads")], p + ".k.t", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [p + ".v", heads_shape], p + ".v.heads")], p + ".v.t", perm=[0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], p + ".qk"), scale], p + ".scores")
        probs = node("Softmax", [scores], p + ".probs", axis=-1)
        attn = node("Transpose", [node("MatMul", [probs, v], p + ".attn.heads")], p + ".attn.t", perm=[0, 2, 1, 3])
        attn = node("Reshape", [attn, merge_shape], p + ".attn.merged")
        x = node("Add", [x, linear(attn, p + ".attn.out_proj", WIDTH, WIDTH)], p + ".res1")

        h = layer_norm(x, p + ".ln_2")
        h = linear(h, p + ".mlp.c_fc", WIDTH, MLP)
        gate = node("Sigmoid", [node("Mul", [h, quick_gelu], p + ".mlp.scaled")], p + ".mlp.gate")
        h = node("Mul", [h, gate], p + ".mlp.act")
        x = node("Add", [x, linear(h, p + ".mlp.c_proj", MLP, WIDTH)], p + ".res2")

    cls_out = node("Gather", [x, const("index.cls", 0, np.int64)], "cls.out", axis=1)
    cls_out = layer_norm(cls_out, "ln_post")
    nodes.append(helper.make_node("MatMul", [cls_out, weight("proj", (WIDTH, OUTPUT))], ["image_embeds"], name="proj"))

    graph = helper.make_graph(
        nodes,
        "clip_vit_b32_visual_random",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, IMAGE, IMAGE])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch", OUTPUT])],
        inits,
    )
    model = helper.make_model(graph, producer_name="tessera-benchmarks", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def build_stub() -> onnx.ModelProto:
    """The same input and output, almost no compute (spatial mean, a 3 x 512 product): runs the pipeline around it."""
    rng = np.random.default_rng(1)
    w = numpy_helper.from_array(rng.normal(0.0, 0.02, size=(3, OUTPUT)).astype(np.float32), "proj")
    nodes = [
        helper.make_node("ReduceMean", ["pixel_values"], ["pooled"], name="pool", axes=[2, 3], keepdims=0),
        helper.make_node("MatMul", ["pooled", "proj"], ["image_embeds"], name="proj"),
    ]
    graph = helper.make_graph(
        nodes,
        "clip_io_stub",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, IMAGE, IMAGE])],
        [helper.make_tensor_value_info("image_embeds", TensorProto.FLOAT, ["batch", OUTPUT])],
        [w],
    )
    model = helper.make_model(graph, producer_name="tessera-benchmarks", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--layers", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stub", action="store_true", help="write the same input/output with almost no compute instead")
    args = parser.parse_args()
    model = build_stub() if args.stub else build(args.layers, args.seed)
    onnx.checker.check_model(model)
    tmp = args.out + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, args.out)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print(f"{args.out}: {params / 1e6:.1f} M parameters, {os.path.getsize(args.out) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
