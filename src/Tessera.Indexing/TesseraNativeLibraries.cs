using System.Collections.Concurrent;

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

    /// <summary>The import name of GDAL (<c>libgdal.so.32</c> on Debian bookworm).</summary>
    public const string Gdal = "gdal";

    private static readonly ConcurrentDictionary<string, string> UserPaths = new(StringComparer.Ordinal);

    /// <summary>Uses the library file at <paramref name="path"/> for <paramref name="libraryName"/>.</summary>
    /// <param name="libraryName">One of <see cref="Faiss"/> or <see cref="Gdal"/>.</param>
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

        var key = libraryName switch
        {
            Faiss => "TESSERA_FAISS_LIBRARY",
            Gdal => "TESSERA_GDAL_LIBRARY",
            _ => "TESSERA_" + libraryName.ToUpperInvariant() + "_LIBRARY",
        };
        var fromEnvironment = Environment.GetEnvironmentVariable(key);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? null : fromEnvironment;
    }
}
