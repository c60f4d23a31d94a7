using System.Globalization;
using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Loads GDAL and registers its drivers (<c>GDALAllRegister</c>) exactly once per process.</summary>
internal static unsafe class GdalLibrary
{
    private static readonly Lazy<(int Number, string Name)> Version = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The block cache size set at load when <c>GDAL_CACHEMAX</c> is not set: 256 MB.</summary>
    public const long DefaultBlockCacheBytes = 256L << 20;

    /// <summary>GDAL's <c>VERSION_NUM</c> (3060200 for 3.6.2).</summary>
    public static int VersionNumber => Version.Value.Number;

    /// <summary>GDAL's <c>RELEASE_NAME</c> (3.6.2).</summary>
    public static string ReleaseName => Version.Value.Name;

    /// <summary>GDAL 3.7 added <c>GDT_Int8</c>; before it, signed bytes are <c>GDT_Byte</c> with <c>PIXELTYPE=SIGNEDBYTE</c>.</summary>
    public static bool SupportsInt8 => VersionNumber >= 3070000;

    /// <summary>Loads GDAL and registers its drivers, once.</summary>
    public static void EnsureInitialized() => _ = Version.Value;

    private static (int Number, string Name) Initialize()
    {
        GdalNative.EnsureRegistered();
        try
        {
            GdalNative.AllRegister();
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException(
                "GDAL's shared library (libgdal.so.32 or libgdal.so) could not be loaded. Install it (Debian: apt-get install libgdal32, "
                + "or run scripts/setup.sh), or point TESSERA_GDAL_LIBRARY / TesseraNativeLibraries.SetLibraryPath(\"gdal\", path) at it.",
                e);
        }

        // GDAL's block cache defaults to 5% of RAM and counts in the process's resident memory; a mosaic
        // is read one row of blocks at a time, so 256 MB is plenty. GDAL_CACHEMAX, when set, wins.
        if (Environment.GetEnvironmentVariable("GDAL_CACHEMAX") is null)
        {
            GdalNative.SetCacheMax64(DefaultBlockCacheBytes);
        }

        var number = Marshal.PtrToStringUTF8((nint)GdalNative.VersionInfo("VERSION_NUM")) ?? "0";
        var name = Marshal.PtrToStringUTF8((nint)GdalNative.VersionInfo("RELEASE_NAME")) ?? "unknown";
        return (int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0, name);
    }
}
