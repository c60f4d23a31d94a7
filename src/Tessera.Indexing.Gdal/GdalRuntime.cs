using Tessera.Indexing.Gdal.Interop.Gdal;

namespace Tessera.Indexing.Gdal;

/// <summary>Facts about the GDAL library this process loaded (Debian bookworm: GDAL 3.6.2, <c>libgdal.so.32</c>).</summary>
public static class GdalRuntime
{
    /// <summary>
    /// The import name of GDAL (<c>libgdal.so.32</c> on Debian bookworm): pass it to
    /// <see cref="TesseraNativeLibraries.SetLibraryPath"/>, or set <c>TESSERA_GDAL_LIBRARY</c>, to use another build.
    /// </summary>
    public const string NativeLibraryName = "gdal";

    /// <summary>GDAL's release name, for example <c>3.6.2</c>.</summary>
    public static string Version => GdalLibrary.ReleaseName;

    /// <summary>GDAL's version as a number, for example <c>3060200</c> for 3.6.2.</summary>
    public static int VersionNumber => GdalLibrary.VersionNumber;

    /// <summary>Whether GDAL has a native signed 8-bit type (<c>GDT_Int8</c>, GDAL 3.7 and later).</summary>
    public static bool HasNativeInt8 => GdalLibrary.SupportsInt8;

    /// <summary>
    /// GDAL's process-wide block cache, in bytes. Unless <c>GDAL_CACHEMAX</c> is set, Tessera sets it to
    /// 256 MB when it loads GDAL (GDAL's own default is 5% of RAM, resident in the process).
    /// </summary>
    public static long BlockCacheBytes
    {
        get
        {
            GdalLibrary.EnsureInitialized();
            return GdalNative.GetCacheMax64();
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1L << 20);
            GdalLibrary.EnsureInitialized();
            GdalNative.SetCacheMax64(value);
        }
    }

    /// <summary>Whether a driver is registered, by its short name (<c>GTiff</c>, <c>PNG</c>, <c>JPEG</c>, <c>WEBP</c>, <c>MEM</c>…).</summary>
    /// <param name="shortName">The driver's short name.</param>
    /// <returns><see langword="true"/> when GDAL can use the driver.</returns>
    public static bool HasDriver(string shortName)
    {
        ArgumentException.ThrowIfNullOrEmpty(shortName);
        return GdalProxy.HasDriver(shortName);
    }
}
