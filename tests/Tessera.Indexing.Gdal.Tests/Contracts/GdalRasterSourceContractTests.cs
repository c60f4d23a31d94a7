using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Gdal.Tests.Contracts;

/// <summary>
/// The raster source contract for a tiled, band-interleaved float32 GeoTIFF opened through
/// <see cref="GdalRasterSourceFactory"/> (so the factory's documented exceptions are checked too).
/// </summary>
public sealed class GdalRasterSourceContractTests : RasterSourceContract
{
    private const int Width = 37;
    private const int Height = 23;
    private const int Bands = 5;
    private static readonly GeoTransform Transform = new(0.125, 0.001, 0, 52.25, 0, -0.001);

    protected override string Extension => ".tif";

    protected override RasterFixture WriteFixture(string directory)
    {
        var values = new float[Width * Height * Bands];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 97) == 0 ? -9999f : (i * 0.37f) - 50f;
        }

        var path = Path.Combine(directory, "mosaic.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, Width, Height, Bands, RasterDataType.Float32, new GeoTiffWriteOptions
        {
            Interleave = GeoTiffInterleave.Band,
            TileSize = (16, 16),
            NoDataValue = -9999,
            GeoTransform = Transform,
            EpsgCode = 4326,
        }))
        {
            writer.WriteWindow<float>(0, 0, Width, Height, values);
            writer.Complete();
        }

        return new RasterFixture(path, Width, Height, Bands, RasterDataType.Float32, values, Transform, -9999);
    }

    protected override IRasterSource Open(string path) => new GdalRasterSourceFactory().Open(path);
}
