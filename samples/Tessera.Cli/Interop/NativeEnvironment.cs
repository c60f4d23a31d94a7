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
    public static void PreferPassiveOpenMpWaits() => SetDefault("OMP_WAIT_POLICY", "PASSIVE");

    /// <summary>
    /// Bounds GDAL's process-wide block cache (default: 5% of the machine's RAM, which counts in the
    /// process's resident memory) to 256 MB, unless the user chose otherwise. The mosaic indexer reads
    /// each tile row once, so a cache holding one row of tiles is enough. Must run before GDAL's first use.
    /// </summary>
    public static void BoundGdalBlockCache() => SetDefault("GDAL_CACHEMAX", "256");

    private static void SetDefault(string name, string value)
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(name) is not null)
        {
            return;
        }

        try
        {
            _ = SetEnv(name, value, overwrite: 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc setenv: keep the library's default.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
