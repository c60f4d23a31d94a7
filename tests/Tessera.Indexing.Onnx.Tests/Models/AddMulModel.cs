namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>A two-input, two-output model: <c>sum = a + b</c>, <c>product = a * b</c>, both <c>[n, 4]</c> floats.</summary>
internal static class AddMulModel
{
    public static byte[] ToOnnx()
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
        return OnnxProto.Model(OnnxProto.Graph("add_mul", nodes, [], inputs, outputs), irVersion: 8, opset: 17);
    }
}
