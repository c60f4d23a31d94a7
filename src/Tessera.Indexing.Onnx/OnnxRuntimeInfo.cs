using Tessera.Indexing.Interop.OnnxRuntime;

namespace Tessera.Indexing.Onnx;

/// <summary>Facts about the loaded ONNX Runtime library.</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The C API version this package binds (<c>ORT_API_VERSION</c> of ONNX Runtime 1.30).</summary>
    public static int ApiVersion => (int)OrtApi.ApiVersion;

    /// <summary>The version string of the loaded library (for example <c>1.30.0</c>); loads it on first use.</summary>
    /// <exception cref="DllNotFoundException">The library was not found.</exception>
    /// <exception cref="OnnxRuntimeException">The library does not provide <see cref="ApiVersion"/>.</exception>
    public static string Version => OrtApi.Version;

    /// <summary>
    /// The execution providers the loaded library was built with (for example <c>CPUExecutionProvider</c>).
    /// A provider listed here may still fail to start when its own libraries or devices are missing.
    /// </summary>
    /// <returns>The provider names.</returns>
    public static IReadOnlyList<string> GetAvailableExecutionProviders() => OrtEnvironment.GetAvailableProviders();
}
