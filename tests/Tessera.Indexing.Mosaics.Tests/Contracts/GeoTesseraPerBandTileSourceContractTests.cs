using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Mosaics.Tests.Contracts;

/// <summary>The raster source contract for a GeoTessera tile with per-band scales (H, W, bands): it reads as Float32.</summary>
public sealed class GeoTesseraPerBandTileSourceContractTests : RasterSourceContract
{
    private const int Width = 21;
    private const int Height = 17;
    private const int Bands = 8;

    protected override string Extension => ".npy";

    protected override RasterFixture WriteFixture(string directory)
    {
        var random = new Random(23);
        var values = new sbyte[Width * Height * Bands];
        var scales = new float[values.Length];
        var expected = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (sbyte)random.Next(-127, 128);
            scales[i] = (float)((random.NextDouble() * 0.05) + 0.001);
            expected[i] = values[i] * scales[i];
        }

        var path = Path.Combine(directory, "grid_0.15_52.05.npy");
        GeoTesseraContractFiles.Write(path, NpyDataType.Int8, [Height, Width, Bands], values);
        GeoTesseraContractFiles.Write(GeoTesseraTileSource.GetScalesPath(path), NpyDataType.Float32, [Height, Width, Bands], scales);
        File.WriteAllText(GeoTesseraTileSource.GetSidecarPath(path), """{"geotransform": [301380, 10, 0, 5776130, 0, -10], "crs": "EPSG:32631"}""");
        return new RasterFixture(path, Width, Height, Bands, RasterDataType.Float32, expected, new GeoTransform(301380, 10, 0, 5776130, 0, -10), null);
    }

    protected override IRasterSource Open(string path) => GeoTesseraTileSource.Open(path);

    protected override string WriteForeignFile(string directory) => GeoTesseraContractFiles.WithForeignScales(base.WriteForeignFile(directory));
}
