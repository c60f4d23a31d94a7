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
        Write(path, NpyDataType.Int8, [Height, Width, Bands], values);
        Write(GeoTesseraTileSource.GetScalesPath(path), NpyDataType.Float32, [Height, Width], scales);
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
    protected override string WriteForeignFile(string directory)
    {
        var path = base.WriteForeignFile(directory);
        File.WriteAllText(GeoTesseraTileSource.GetScalesPath(path), "not a scales file either");
        return path;
    }

    private static void Write<T>(string path, NpyDataType type, long[] shape, T[] data)
        where T : unmanaged
    {
        using var writer = NpyWriter.Create(path, type, shape);
        writer.Write<T>(data);
        writer.Complete();
    }
}

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
        Write(path, NpyDataType.Int8, [Height, Width, Bands], values);
        Write(GeoTesseraTileSource.GetScalesPath(path), NpyDataType.Float32, [Height, Width, Bands], scales);
        File.WriteAllText(GeoTesseraTileSource.GetSidecarPath(path), """{"geotransform": [301380, 10, 0, 5776130, 0, -10], "crs": "EPSG:32631"}""");
        return new RasterFixture(path, Width, Height, Bands, RasterDataType.Float32, expected, new GeoTransform(301380, 10, 0, 5776130, 0, -10), null);
    }

    protected override IRasterSource Open(string path) => GeoTesseraTileSource.Open(path);

    protected override string WriteForeignFile(string directory)
    {
        var path = base.WriteForeignFile(directory);
        File.WriteAllText(GeoTesseraTileSource.GetScalesPath(path), "not a scales file either");
        return path;
    }

    private static void Write<T>(string path, NpyDataType type, long[] shape, T[] data)
        where T : unmanaged
    {
        using var writer = NpyWriter.Create(path, type, shape);
        writer.Write<T>(data);
        writer.Complete();
    }
}
