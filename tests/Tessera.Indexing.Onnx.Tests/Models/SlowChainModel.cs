namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>A model that takes seconds on one thread: <c>y = x · W · W · … · W</c> (<paramref name="steps"/> 256 × 256 products).</summary>
internal static class SlowChainModel
{
    public const int Size = 256;

    public static byte[] ToOnnx(int steps = 1500)
    {
        var weights = new float[Size * Size];
        for (var i = 0; i < Size; i++)
        {
            weights[(i * Size) + i] = 1f;
        }

        var nodes = new byte[steps][];
        for (var i = 0; i < steps; i++)
        {
            nodes[i] = OnnxProto.Node("MatMul", $"matmul{i}", [i == 0 ? "x" : $"h{i}", "w"], [i == steps - 1 ? "y" : $"h{i + 1}"]);
        }

        return OnnxProto.Model(
            OnnxProto.Graph(
                "slow_chain",
                nodes,
                [OnnxProto.FloatTensor("w", [Size, Size], weights)],
                [OnnxProto.TensorValueInfo("x", OnnxProto.ElementFloat, (long)Size, (long)Size)],
                [OnnxProto.TensorValueInfo("y", OnnxProto.ElementFloat, (long)Size, (long)Size)]),
            irVersion: 8,
            opset: 17);
    }
}
