using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxRuntimeErrorsTests
{
    [Theory]
    [InlineData("[ErrorCode:InvalidArgument] Got invalid dimensions", OnnxRuntimeErrorCode.InvalidArgument, "Got invalid dimensions")]
    [InlineData("[ErrorCode:NoSuchFile] Load model from x failed", OnnxRuntimeErrorCode.NoSuchFile, "Load model from x failed")]
    [InlineData("[ErrorCode:ShapeInferenceNotRegistered] CUDA failure 100", OnnxRuntimeErrorCode.ExecutionProviderFailed, "CUDA failure 100")]
    [InlineData("[ErrorCode:9] not implemented here", OnnxRuntimeErrorCode.NotImplemented, "not implemented here")]
    [InlineData("[ErrorCode:77] from the future", OnnxRuntimeErrorCode.Fail, "from the future")]
    [InlineData("no prefix at all", OnnxRuntimeErrorCode.Fail, "no prefix at all")]
    public void The_error_code_prefix_of_onnx_runtime_messages_is_parsed(string text, OnnxRuntimeErrorCode code, string message)
    {
        var (parsedCode, parsedMessage) = OnnxRuntimeErrors.Parse(text);

        Assert.Equal(code, parsedCode);
        Assert.Equal(message, parsedMessage);
    }
}
