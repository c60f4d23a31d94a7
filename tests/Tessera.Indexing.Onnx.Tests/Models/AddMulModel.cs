namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>
/// A two-input, two-output model: <c>sum = a + b</c>, <c>product = a * b</c>, both <c>[n, 4]</c> floats; optionally with
/// an initializer that no node uses (ONNX Runtime warns about it and removes it).
/// </summary>
internal static class AddMulModel
{
    public static byte[] ToOnnx(string? unusedInitializer = null)
    {
        var nodes = new[]
        {
            OnnxProto.Node("Add", "add", ["a", "b"], ["sum"]),
            OnnxProto.Node("Mul", "mul", ["a", "b"], ["product"]),
        };
        var inputs = new[]
        {
            OnnxProto.TensorValueInfo("a", OnnxProto.ElementFloat, "n", 4L),
            OnnxProto.TensorValueInfo("b", OnnxProto.ElementFloat, "n", 4L),
        };
        var outputs = new[]
        {
            OnnxProto.TensorValueInfo("sum", OnnxProto.ElementFloat, "n", 4L),
            OnnxProto.TensorValueInfo("product", OnnxProto.ElementFloat, "n", 4L),
        };
        byte[][] initializers = unusedInitializer is null ? [] : [OnnxProto.FloatTensor(unusedInitializer, [2], [1f, 2f])];
        return OnnxProto.Model(OnnxProto.Graph("add_mul", nodes, initializers, inputs, outputs), irVersion: 8, opset: 17);
    }
}
