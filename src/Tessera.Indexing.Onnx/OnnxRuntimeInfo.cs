using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx;

/// <summary>Facts about the loaded ONNX Runtime library (the native package the application references).</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The version string of the loaded native library (for example <c>1.31.0</c>); loads it on first use.</summary>
    /// <exception cref="DllNotFoundException">
    /// The application references no ONNX Runtime native package (<c>Microsoft.ML.OnnxRuntime</c> or
    /// <c>Microsoft.ML.OnnxRuntime.Gpu.Linux</c>).
    /// </exception>
    public static string Version => OnnxRuntimeEnvironment.Instance.GetVersionString();

    /// <summary>
    /// The execution providers the loaded library was built with (for example <c>CPUExecutionProvider</c>).
    /// A provider listed here may still fail to start when its own libraries or devices are missing.
    /// </summary>
    /// <returns>The provider names.</returns>
    public static IReadOnlyList<string> GetAvailableExecutionProviders() => OnnxRuntimeEnvironment.Instance.GetAvailableProviders();

    /// <summary>
    /// Why the CUDA execution provider cannot be used, or <see langword="null"/> when it can be tried: the loaded build
    /// has it, and <c>libonnxruntime_providers_cuda.so</c> and every library it needs (CUDA, cuBLAS, cuRAND, cuDNN,
    /// the driver's <c>libcuda.so.1</c>) load. Whether a CUDA device is present is only known when a session starts.
    /// Checked once per process, without ONNX Runtime trying (and logging) a failed load.
    /// </summary>
    /// <returns>The reason, naming what is missing, or <see langword="null"/>.</returns>
    public static string? GetCudaUnavailableReason() => CudaProviderProbe.WhyUnavailable();
}
