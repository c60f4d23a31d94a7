namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>
/// A model that takes seconds: <c>y = x · W · W · … · W</c> (<paramref name="steps"/> 512 × 512 products, about
/// 1 TFLOP: over a second even at this 2-core AVX-512 machine's peak), so a run cancelled after 100 ms is
/// cancelled mid-run, however fast the machine.
/// </summary>
internal static class SlowChainModel
{
    public const int Size = 512;

    public static byte[] ToOnnx(int steps = 4000)
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
