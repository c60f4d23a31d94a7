using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Tessera.Indexing.Testing;

namespace Tessera.Server.Tests;

/// <summary>
/// The real app over a temporary indices root holding one viewport (<c>demo</c>, 60×50 pixels, 16
/// bands, built by the mosaic indexer from a GeoTIFF written through GDAL) and a mosaics root
/// holding a second mosaic for processing tests.
/// </summary>
public class ServerFixture : WebApplicationFactory<Program>
{
    public const int Width = 60;
    public const int Height = 50;

    private readonly TempDirectory _temp = new("tessera-server");

    public ServerFixture()
    {
        IndicesRoot = _temp.File("faiss_indices");
        MosaicsRoot = _temp.File("mosaics");
        Directory.CreateDirectory(MosaicsRoot);
        var demoMosaic = ViewportFixtures.WriteMosaic(_temp.File("demo.tif"), Width, Height, 16);
        ViewportFixtures.BuildViewport(demoMosaic, IndicesRoot, "demo", factor: 2);
        var utmMosaic = ViewportFixtures.WriteMosaic(_temp.File("utm.tif"), 40, 30, 8, geoTransform: UtmTransform, epsgCode: 32631);
        ViewportFixtures.BuildViewport(utmMosaic, IndicesRoot, "utm", factor: 1, indexFactory: "Flat");
        ViewportFixtures.WriteMosaic(Path.Combine(MosaicsRoot, "fresh.tif"), 40, 36, 16, seed: 3);
        File.WriteAllText(Path.Combine(MosaicsRoot, "not-a-raster.tif"), "not a GeoTIFF");
        File.WriteAllText(_temp.File("secret.txt"), "outside the mosaics root");
        File.CreateSymbolicLink(Path.Combine(MosaicsRoot, "escape.tif"), _temp.File("secret.txt"));
    }

    /// <summary>The "utm" viewport's grid: 10 m in UTM zone 31N, around Cambridge (GeoTessera's grid_0.15_52.05).</summary>
    public static Tessera.Indexing.Rasters.GeoTransform UtmTransform => new(301380, 10, 0, 5776130, 0, -10);

    public string IndicesRoot { get; }

    public string MosaicsRoot { get; }

    public string OutsideFile => _temp.File("secret.txt");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Tessera:IndicesRoot", IndicesRoot);
        builder.UseSetting("Tessera:MosaicsRoot", MosaicsRoot);
        builder.UseSetting("Tessera:PreviewsRoot", _temp.File("previews"));
        builder.UseSetting("Tessera:Pipeline:Index:IndexFactory", "IVF8,Flat");
        builder.UseSetting("Tessera:Pipeline:Index:SamplingFactor", "2");
        builder.UseSetting("Tessera:Pipeline:Index:TrainSize", "4096");
        builder.UseSetting("Tessera:Pipeline:Index:AllEmbeddingsType", "UInt8");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _temp.Dispose();
        }
    }
}
