using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Interop.Common;

namespace Tessera.Indexing.Onnx.Diagnostics;

/// <summary>
/// ONNX Runtime in <see cref="TesseraNativeLibraries.Diagnose"/> and <see cref="TesseraDiagnostics"/>: whether
/// the application's native ONNX Runtime package loads, from where, its version, its execution providers and
/// whether CUDA can be used. <c>AddOnnxImageEmbedder(...)</c> and <c>AddOnnxDiagnostics()</c> register it.
/// </summary>
public sealed class OnnxComponentDiagnostics : INativeComponentDiagnostics
{
    /// <inheritdoc />
    public string Name => "ONNX Runtime";

    /// <inheritdoc />
    public NativeComponentReport Diagnose()
    {
        string version;
        IReadOnlyList<string> providers;
        try
        {
            version = OnnxRuntimeInfo.Version;
            providers = OnnxRuntimeInfo.GetAvailableExecutionProviders();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            return NativeComponentReport.Missing(Name, $"libonnxruntime.so does not load: {(e.InnerException ?? e).Message}",
                "Add the native package to the application: Microsoft.ML.OnnxRuntime (CPU) or Microsoft.ML.OnnxRuntime.Gpu.Linux (CUDA).");
        }

        var details = new List<KeyValuePair<string, string>>
        {
            new("providers", string.Join(' ', providers)),
            new("cuda", OnnxRuntimeInfo.GetCudaUnavailableReason() is { } reason ? "unavailable: " + reason : "available"),
        };
        return NativeComponentReport.Available(Name, version, LoadedLibraries.FindPath("libonnxruntime.so"), details);
    }
}
