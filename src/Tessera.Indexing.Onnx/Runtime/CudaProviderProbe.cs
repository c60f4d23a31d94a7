using System.Runtime.InteropServices;
using Tessera.Indexing.Interop.Common;

namespace Tessera.Indexing.Onnx.Runtime;

/// <summary>
/// Decides, before ONNX Runtime is asked to append the CUDA execution provider, whether that can work: the loaded build
/// must list <c>CUDAExecutionProvider</c>, <c>libonnxruntime_providers_cuda.so</c> must sit beside
/// <c>libonnxruntime.so</c> (where ONNX Runtime loads it from), and every library it needs (its <c>DT_NEEDED</c>
/// entries: CUDA runtime, cuBLAS, cuRAND, the driver's <c>libcuda.so.1</c>; and cuDNN, which it opens at run time)
/// must load. Checking first means a CPU-only machine never sees ONNX Runtime's own
/// <c>Failed to load library …providers_cuda.so</c> error, only the one warning the caller logs. The answer is computed
/// once per process; the libraries that load stay loaded (ONNX Runtime loads them next anyway).
/// </summary>
internal static class CudaProviderProbe
{
    /// <summary>ONNX Runtime's name for the CUDA execution provider.</summary>
    public const string ProviderName = "CUDAExecutionProvider";

    /// <summary>The CUDA execution provider's library, loaded by ONNX Runtime from its own folder.</summary>
    public const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    /// <summary>
    /// Libraries the provider opens itself at run time rather than through <c>DT_NEEDED</c>: cuDNN 9, the major
    /// version ONNX Runtime 1.31's CUDA 13 build uses.
    /// </summary>
    public static IReadOnlyList<string> OpenedAtRunTime { get; } = ["libcudnn.so.9"];

    private const string SharedProviderLibrary = "libonnxruntime_providers_shared.so";
    private const string RuntimeLibrary = "libonnxruntime.so";

    private static readonly Lazy<string?> Reason = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why CUDA cannot be used, naming what is missing; <see langword="null"/> when it can be tried.</summary>
    public static string? WhyUnavailable() => Reason.Value;

    /// <summary>
    /// The libraries <paramref name="providerPath"/> needs (and <paramref name="alsoRequired"/>) that do not load,
    /// each with the loader's reason when it is not simply "not found"; empty when all load.
    /// </summary>
    /// <param name="providerPath">The provider library.</param>
    /// <param name="alsoRequired">Libraries the provider opens itself at run time.</param>
    /// <returns>One entry per missing library.</returns>
    public static IReadOnlyList<string> FindMissingLibraries(string providerPath, IReadOnlyList<string> alsoRequired)
    {
        if (!File.Exists(providerPath))
        {
            return [$"{Path.GetFileName(providerPath)} (not in {Path.GetDirectoryName(providerPath)})"];
        }

        ElfDependencies? dependencies;
        try
        {
            dependencies = ElfDependencies.Read(providerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"{Path.GetFileName(providerPath)} (unreadable: {e.Message})"];
        }

        var missing = new List<string>();
        var needed = new List<string>(dependencies?.Needed ?? []);
        needed.AddRange(alsoRequired);
        var searchPaths = dependencies?.SearchPaths ?? [];
        foreach (var library in needed)
        {
            // Resolved by ONNX Runtime itself from its own folder, which is checked separately.
            if (library == SharedProviderLibrary || TryLoad(library, searchPaths, out var error))
            {
                continue;
            }

            missing.Add(error is null ? library : $"{library} ({error})");
        }

        return missing;
    }

    private static string? Probe()
    {
        var environment = OnnxRuntimeEnvironment.Instance;
        if (Array.IndexOf(environment.GetAvailableProviders(), ProviderName) < 0)
        {
            return $"the loaded ONNX Runtime {environment.GetVersionString()} is a build without the {ProviderName} "
                + "(the application references the CPU package Microsoft.ML.OnnxRuntime; reference Microsoft.ML.OnnxRuntime.Gpu.Linux instead to run on CUDA)";
        }

        if (!OperatingSystem.IsLinux() || LoadedLibraries.FindPath(RuntimeLibrary) is not { } runtime)
        {
            return null; // Nothing to check ahead: let ONNX Runtime try.
        }

        var folder = Path.GetDirectoryName(runtime)!;
        var missing = new List<string>();
        if (!File.Exists(Path.Combine(folder, SharedProviderLibrary)))
        {
            missing.Add($"{SharedProviderLibrary} (not in {folder})");
        }

        missing.AddRange(FindMissingLibraries(Path.Combine(folder, ProviderLibrary), OpenedAtRunTime));
        return missing.Count == 0
            ? null
            : $"{ProviderLibrary} cannot load: missing {string.Join(", ", missing)}. It needs the CUDA 13 runtime, cuBLAS, cuRAND and cuDNN 9 "
                + "on the library path (LD_LIBRARY_PATH or ldconfig) and an NVIDIA driver (libcuda.so.1)";
    }

    private static bool TryLoad(string library, IReadOnlyList<string> searchPaths, out string? error)
    {
        error = null;
        foreach (var folder in searchPaths)
        {
            var candidate = Path.Combine(folder, library);
            if (File.Exists(candidate))
            {
                return TryLoadExactly(candidate, library, out error);
            }
        }

        return TryLoadExactly(library, library, out error);
    }

    private static bool TryLoadExactly(string pathOrName, string library, out string? error)
    {
        try
        {
            NativeLibrary.Load(pathOrName);
            error = null;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // .NET's message ends with the loader's own (dlerror) line.
            var lines = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var loaderMessage = lines.Length > 0 ? lines[^1] : e.Message;
            error = loaderMessage.StartsWith(pathOrName + ": cannot open shared object file", StringComparison.Ordinal) ? null : loaderMessage;
            return false;
        }
    }
}
