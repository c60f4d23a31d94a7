using System.Runtime.InteropServices;

namespace Tessera.Cli.Interop;

/// <summary>
/// Sets variables in the native process environment (what C libraries read with <c>getenv</c>);
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's own copy on Unix.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>
    /// Makes idle OpenMP threads (FAISS's training and search) sleep instead of spinning, unless the user
    /// chose otherwise. Spinning workers on a busy machine slowed FAISS training 6-10x here (a 2-core
    /// machine under load 25: 72 s spinning, 12 s passive). Must run before FAISS is first used, as
    /// libgomp reads the setting when it loads.
    /// </summary>
    public static void PreferPassiveOpenMpWaits()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null)
        {
            return;
        }

        try
        {
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: keep OpenMP's default.
        }
    }

    /// <summary>
    /// Bounds GDAL's raster block cache at 256 MiB unless the user set <c>GDAL_CACHEMAX</c>. GDAL's
    /// default is 5% of physical memory (1.2 GB on a 24 GB machine, more on bigger ones), and a mosaic
    /// build, which reads the file once front to back, filled it: 961 MiB peak instead of 511 MiB on a
    /// 2048x2048x128 mosaic. It must still hold one row of the file's tiles, which the build reads in
    /// several windows: with 64 MiB, a 4408-pixel-wide mosaic of 256x256 tiles (144 MiB per tile row)
    /// was read 2.3x slower. 256 MiB holds a tile row of 128-band 256x256 tiles up to 8192 pixels wide.
    /// GDAL reads the setting when its cache is first used.
    /// </summary>
    public static void BoundGdalBlockCache()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("GDAL_CACHEMAX") is not null)
        {
            return;
        }

        try
        {
            _ = SetEnv("GDAL_CACHEMAX", "256", overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: keep GDAL's default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
