using Tessera.Indexing.Onnx.Tests.Models;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Onnx.Tests;

/// <summary>The hand-encoded test models are valid ONNX to the ONNX project's own checker (Debian's python3-onnx).</summary>
public sealed class OnnxCheckerInteropTests
{
    private const string Script = """
        import json, sys
        import onnx
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        def describe(values):
            return [{"name": v.name, "elem_type": v.type.tensor_type.elem_type,
                     "dims": [d.dim_param if d.dim_param else d.dim_value for d in v.type.tensor_type.shape.dim]} for v in values]
        print(json.dumps({"ir_version": model.ir_version, "opset": model.opset_import[0].version,
                          "ops": [n.op_type for n in model.graph.node],
                          "inputs": describe(model.graph.input), "outputs": describe(model.graph.output)}))
        """;

    [Fact]
    public void Tiny_image_encoder_passes_the_onnx_checker_with_the_declared_graph()
    {
        using var dir = new TempDirectory("onnx");
        var path = dir.File("tiny.onnx");
        File.WriteAllBytes(path, new TinyImageEncoder(imageSize: 8, dimension: 5).ToOnnx());

        var result = Python.RunJson(Script, path);

        Assert.Equal(8, result.GetProperty("ir_version").GetInt32());
        Assert.Equal(17, result.GetProperty("opset").GetInt32());
        Assert.Equal(["Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm"], result.GetProperty("ops").EnumerateArray().Select(e => e.GetString()));
        var input = result.GetProperty("inputs")[0];
        Assert.Equal(TinyImageEncoder.InputName, input.GetProperty("name").GetString());
        Assert.Equal(1, input.GetProperty("elem_type").GetInt32());
        Assert.Equal("[\"batch\",3,8,8]", input.GetProperty("dims").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
        var output = result.GetProperty("outputs")[0];
        Assert.Equal(TinyImageEncoder.OutputName, output.GetProperty("name").GetString());
        Assert.Equal("[\"batch\",5]", output.GetProperty("dims").GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal));
    }
}
