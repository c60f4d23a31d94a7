using System.Collections.Concurrent;
using Tessera.Indexing.Diagnostics;

namespace Tessera.Indexing;

/// <summary>
/// Where the Tessera assemblies find their native libraries. By default they look in the app's
/// <c>runtimes/linux-x64/native/</c> folder (where the NuGet packages put them), then beside the
/// assembly, then on the system's library path. Set a path here, before the first index, raster or
/// session is created, to use another build.
/// </summary>
public static class TesseraNativeLibraries
{
    /// <summary>The import name of the FAISS shim (<c>libtessera_faiss.so</c>).</summary>
    public const string Faiss = "tessera_faiss";

    private static readonly ConcurrentDictionary<string, string> UserPaths = new(StringComparer.Ordinal);

    /// <summary>Uses the library file at <paramref name="path"/> for <paramref name="libraryName"/>.</summary>
    /// <param name="libraryName"><see cref="Faiss"/>, or a provider's import name (e.g. <c>Tessera.Indexing.Gdal.GdalRuntime.NativeLibraryName</c>).</param>
    /// <param name="path">Full path of the shared library.</param>
    public static void SetLibraryPath(string libraryName, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryName);
        ArgumentException.ThrowIfNullOrEmpty(path);
        UserPaths[libraryName] = Path.GetFullPath(path);
    }

    /// <summary>
    /// The path set for <paramref name="libraryName"/> by <see cref="SetLibraryPath"/>, else by the
    /// environment variable <c>TESSERA_FAISS_LIBRARY</c> or <c>TESSERA_GDAL_LIBRARY</c>, else <see langword="null"/>.
    /// </summary>
    /// <param name="libraryName">The import name.</param>
    /// <returns>The user-set path, or <see langword="null"/>.</returns>
    public static string? GetUserPath(string libraryName)
    {
        if (UserPaths.TryGetValue(libraryName, out var path))
        {
            return path;
        }

        var key = GetEnvironmentVariableName(libraryName);
        var fromEnvironment = Environment.GetEnvironmentVariable(key);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }

    /// <summary>
    /// The environment variable that names a file for <paramref name="libraryName"/>:
    /// <c>TESSERA_FAISS_LIBRARY</c> for <see cref="Faiss"/>, else <c>TESSERA_{NAME}_LIBRARY</c>
    /// (<c>TESSERA_GDAL_LIBRARY</c>, ...).
    /// </summary>
    /// <param name="libraryName">The import name.</param>
    /// <returns>The variable's name.</returns>
    public static string GetEnvironmentVariableName(string libraryName)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryName);
        return libraryName == Faiss ? "TESSERA_FAISS_LIBRARY" : "TESSERA_" + libraryName.ToUpperInvariant() + "_LIBRARY";
    }

    /// <summary>
    /// Reports on every native component Tessera's core knows (the FAISS shim: version, the file it
    /// loaded from, OpenMP and BLAS threads) and the managed SIMD level, plus the components
    /// <paramref name="contributors"/> add (provider packages register an
    /// <see cref="INativeComponentDiagnostics"/>; <see cref="TesseraDiagnostics"/> collects them from
    /// dependency injection). Loads the libraries but never throws: what does not load is reported
    /// with the reason and the fix.
    /// </summary>
    /// <param name="contributors">More components to report on, in order; may be empty.</param>
    /// <returns>The report.</returns>
    public static TesseraDiagnosticsReport Diagnose(IEnumerable<INativeComponentDiagnostics>? contributors = null)
    {
        var components = new List<NativeComponentReport> { FaissComponentDiagnostics.Instance.Diagnose() };
        if (contributors is not null)
        {
            foreach (var contributor in contributors)
            {
                components.Add(DiagnoseSafely(contributor));
            }
        }

        return new TesseraDiagnosticsReport(components, SimdCapabilities.Current, PlatformReport.Current);
    }

    private static NativeComponentReport DiagnoseSafely(INativeComponentDiagnostics contributor)
    {
        ArgumentNullException.ThrowIfNull(contributor);
        try
        {
            return contributor.Diagnose() ?? NativeComponentReport.Faulted(contributor.Name, "its diagnostics returned nothing", null);
        }
        catch (Exception e)
        {
            return NativeComponentReport.Faulted(contributor.Name, $"{e.GetType().Name}: {e.Message}", null);
        }
    }
}
