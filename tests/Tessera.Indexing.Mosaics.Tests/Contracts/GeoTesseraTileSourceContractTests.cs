using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Mosaics.Tests.Contracts;

/// <summary>The raster source contract for a GeoTessera int8 tile with its per-pixel scales and a georeferencing sidecar.</summary>
public sealed class GeoTesseraTileSourceContractTests : RasterSourceContract
{
    private const int Width = 23;
    private const int Height = 19;
    private const int Bands = 8;

    protected override string Extension => ".npy";

    protected override RasterFixture WriteFixture(string directory)
    {
        var random = new Random(17);
        var values = new sbyte[Width * Height * Bands];
        var scales = new float[Width * Height];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (sbyte)random.Next(-127, 128);
        }

        for (var i = 0; i < scales.Length; i++)
        {
            scales[i] = (float)((random.NextDouble() * 0.05) + 0.001);
        }

        var path = Path.Combine(directory, "grid_77.55_13.05.npy");
        GeoTesseraContractFiles.Write(path, NpyDataType.Int8, [Height, Width, Bands], values);
        GeoTesseraContractFiles.Write(GeoTesseraTileSource.GetScalesPath(path), NpyDataType.Float32, [Height, Width], scales);
        File.WriteAllText(GeoTesseraTileSource.GetSidecarPath(path), """{"geotransform": [600000, 10, 0, 1500000, 0, -10], "crs": "EPSG:32643"}""");

        var expected = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            expected[i] = values[i] * scales[i / Bands];
        }

        return new RasterFixture(path, Width, Height, Bands, RasterDataType.Int8, expected, new GeoTransform(600000, 10, 0, 1500000, 0, -10), null);
    }

    protected override IRasterSource Open(string path) => GeoTesseraTileSource.Open(path);

    /// <summary>A tile pair whose files are both text, so the opener gets past the existence checks to the format.</summary>
    protected override string WriteForeignFile(string directory) => GeoTesseraContractFiles.WithForeignScales(base.WriteForeignFile(directory));
}
