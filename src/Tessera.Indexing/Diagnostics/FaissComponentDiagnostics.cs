using System.Globalization;
using System.Runtime.InteropServices;
using Tessera.Indexing.Interop.Common;
using Tessera.Indexing.Interop.Faiss;

namespace Tessera.Indexing.Diagnostics;

/// <summary>Core's own component: the FAISS shim, its build, OpenMP runtime and OpenBLAS.</summary>
internal sealed unsafe class FaissComponentDiagnostics : INativeComponentDiagnostics
{
    /// <summary>The environment variables that change how FAISS's OpenMP and OpenBLAS run; reported when set.</summary>
    private static readonly string[] Settings = ["OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE"];

    private FaissComponentDiagnostics()
    {
    }

    /// <summary>The one instance.</summary>
    public static FaissComponentDiagnostics Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "FAISS";

    /// <inheritdoc />
    public NativeComponentReport Diagnose()
    {
        FaissNative.EnsureRegistered();
        if (!NativeLibraryLoader.TryLoad(typeof(FaissNative).Assembly, TesseraNativeLibraries.Faiss, out _, out var failure))
        {
            return NativeComponentReport.FromLoadFailure(Name, failure!);
        }

        string? version;
        try
        {
            version = Text(FaissNative.FaissVersion());
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return NativeComponentReport.Faulted(Name, $"the library loaded but is not the Tessera FAISS shim: {e.Message}",
                $"Point {TesseraNativeLibraries.GetEnvironmentVariableName(TesseraNativeLibraries.Faiss)} at libtessera_faiss.so, or unset it.");
        }

        var details = new List<KeyValuePair<string, string>>();
        string? path = null;
        try
        {
            path = Text(FaissNative.InfoLibraryPath());
            Add(details, "build", Text(FaissNative.InfoBuild()));
            Add(details, "faiss.compile_options", Text(FaissNative.InfoFaissCompileOptions())?.Trim());
            Add(details, "openmp.version", OpenMpVersion(FaissNative.InfoOpenMpVersion()));
            Add(details, "openmp.threads", Number(FaissNative.GetMaxThreads()));
            Add(details, "openmp.processors", Number(FaissNative.InfoOpenMpProcessors()));
            Add(details, "openmp.library", Text(FaissNative.InfoOpenMpLibraryPath()));
            Add(details, "blas.config", Text(FaissNative.InfoBlasConfig())?.Trim());
            Add(details, "blas.core", Text(FaissNative.InfoBlasCore())?.Trim());
            Add(details, "blas.threads", Number(FaissNative.InfoBlasThreads()));
            Add(details, "blas.threading", FaissNative.InfoBlasParallel() switch
            {
                0 => "sequential",
                1 => "pthreads",
                2 => "OpenMP",
                _ => null,
            });
        }
        catch (EntryPointNotFoundException)
        {
            details.Add(new("info", "unavailable: this libtessera_faiss.so predates tf_info_* (rebuild it with scripts/setup.sh)"));
            details.Add(new("openmp.threads", Number(FaissNative.GetMaxThreads())!));
        }

        foreach (var setting in Settings)
        {
            Add(details, "env." + setting, NativeEnvironment.Get(setting));
        }

        return NativeComponentReport.Available(Name, version, path, details);
    }

    /// <summary>OpenMP's <c>_OPENMP</c> date as the specification version (201511 is 4.5).</summary>
    /// <param name="date">The <c>_OPENMP</c> value.</param>
    /// <returns>For example <c>4.5 (201511)</c>; <see langword="null"/> for 0.</returns>
    internal static string? OpenMpVersion(int date)
    {
        var name = date switch
        {
            0 => null,
            >= 202111 => "5.2",
            >= 202011 => "5.1",
            >= 201811 => "5.0",
            >= 201511 => "4.5",
            >= 201307 => "4.0",
            >= 201107 => "3.1",
            >= 200805 => "3.0",
            _ => "before 3.0",
        };
        return name is null ? null : $"{name} ({date.ToString(CultureInfo.InvariantCulture)})";
    }

    private static string? Text(byte* value) => value == null ? null : Marshal.PtrToStringUTF8((IntPtr)value);

    private static string? Number(int value) => value < 0 ? null : value.ToString(CultureInfo.InvariantCulture);

    private static void Add(List<KeyValuePair<string, string>> details, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            details.Add(new(key, value));
        }
    }
}
