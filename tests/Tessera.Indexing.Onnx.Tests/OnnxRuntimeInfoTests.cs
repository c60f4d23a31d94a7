using System.Reflection;
using Tessera.Indexing.Onnx;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class OnnxRuntimeInfoTests
{
    [Fact]
    public void Version_of_the_loaded_native_library_is_the_version_of_the_managed_package()
    {
        var managed = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Matches(@"^\d+\.\d+\.\d+$", OnnxRuntimeInfo.Version);
        Assert.StartsWith(OnnxRuntimeInfo.Version, managed, StringComparison.Ordinal);
    }

    [Fact]
    public void Available_execution_providers_include_the_cpu()
    {
        Assert.Contains("CPUExecutionProvider", OnnxRuntimeInfo.GetAvailableExecutionProviders());
    }

    [Fact]
    public void Cuda_is_reported_unavailable_on_the_cpu_package_naming_the_gpu_package()
    {
        Assert.DoesNotContain("CUDAExecutionProvider", OnnxRuntimeInfo.GetAvailableExecutionProviders());

        var reason = OnnxRuntimeInfo.GetCudaUnavailableReason();

        Assert.NotNull(reason);
        Assert.Contains("CUDAExecutionProvider", reason, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", reason, StringComparison.Ordinal);
        Assert.Contains(OnnxRuntimeInfo.Version, reason, StringComparison.Ordinal);
    }
}
