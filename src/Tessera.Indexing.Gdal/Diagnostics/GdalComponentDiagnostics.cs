using System.Globalization;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Interop.Common;

namespace Tessera.Indexing.Gdal.Diagnostics;

/// <summary>
/// GDAL in <see cref="TesseraNativeLibraries.Diagnose"/> and <see cref="TesseraDiagnostics"/>: whether
/// <c>libgdal</c> loads, from where, its version, the drivers Tessera uses and the block cache.
/// <c>AddGdal()</c> registers it.
/// </summary>
public sealed class GdalComponentDiagnostics : INativeComponentDiagnostics
{
    /// <summary>
    /// The drivers Tessera uses: mosaics (GTiff), image decoding (PNG, JPEG, WEBP) and in-memory datasets (MEM).
    /// A missing one is marked in the <c>drivers</c> detail; only the inputs that need it fail.
    /// </summary>
    private static readonly string[] Drivers = ["GTiff", "PNG", "JPEG", "WEBP", "MEM"];

    /// <summary>The environment variables that change how GDAL reads; reported when set.</summary>
    private static readonly string[] Settings = ["GDAL_CACHEMAX", "GDAL_NUM_THREADS", "GDAL_DATA", "CPL_DEBUG"];

    /// <inheritdoc />
    public string Name => "GDAL";

    /// <inheritdoc />
    public NativeComponentReport Diagnose()
    {
        GdalNative.EnsureRegistered();
        if (!NativeLibraryLoader.TryLoad(typeof(GdalNative).Assembly, GdalRuntime.NativeLibraryName, out _, out var failure))
        {
            return NativeComponentReport.FromLoadFailure(Name, failure!);
        }

        string version;
        try
        {
            version = GdalRuntime.Version;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException or TypeInitializationException)
        {
            return NativeComponentReport.Faulted(Name, $"the library loaded but is not a usable GDAL: {e.Message}",
                $"Point {TesseraNativeLibraries.GetEnvironmentVariableName(GdalRuntime.NativeLibraryName)} at libgdal.so.32 (GDAL 3.6 or newer), or unset it.");
        }

        var details = new List<KeyValuePair<string, string>>
        {
            new("version_number", GdalRuntime.VersionNumber.ToString(CultureInfo.InvariantCulture)),
            new("block_cache_bytes", GdalRuntime.BlockCacheBytes.ToString(CultureInfo.InvariantCulture)),
            new("drivers", string.Join(' ', Drivers.Select(d => GdalRuntime.HasDriver(d) ? d : d + "(missing)"))),
        };
        foreach (var setting in Settings)
        {
            var value = Environment.GetEnvironmentVariable(setting);
            if (!string.IsNullOrEmpty(value))
            {
                details.Add(new("env." + setting, value));
            }
        }

        return NativeComponentReport.Available(Name, version, LoadedLibraries.FindPath("libgdal.so"), details);
    }
}
