using Tessera.Indexing.Onnx;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxRuntimeInfoTests
{
    [Fact]
    public void Version_of_the_loaded_library_is_1_30_0()
    {
        Assert.Equal("1.30.0", OnnxRuntimeInfo.Version);
    }

    [Fact]
    public void Available_execution_providers_include_the_cpu()
    {
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeInfo.GetAvailableExecutionProviders());
    }
}
