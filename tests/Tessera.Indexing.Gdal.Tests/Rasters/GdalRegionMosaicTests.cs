using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

public sealed class GdalRegionMosaicTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-region");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Tiles_in_two_utm_zones_merge_into_one_wgs84_raster_with_their_values_and_no_data_around()
    {
        // Two constant 3-band tiles either side of the 6°E zone edge at 45°N, each in its own zone.
        using var toUtm31 = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32631));
        using var toUtm32 = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32632));
        var (x31, y31) = toUtm31.Transform(5.9, 45.1);
        var (x32, y32) = toUtm32.Transform(6.0, 45.1);
        var west = WriteConstant("west.tif", new GeoTransform(Math.Round(x31), 10, 0, Math.Round(y31), 0, -10), 32631, [1f, 2f, 3f]);
        var east = WriteConstant("east.tif", new GeoTransform(Math.Round(x32), 10, 0, Math.Round(y32), 0, -10), 32632, [4f, 5f, 6f]);
        var destination = _temp.File("region.tif");

        using (var a = new GdalRasterSourceFactory().Open(west))
        using (var b = new GdalRasterSourceFactory().Open(east))
        {
            GdalRegionMosaic.Write([a, b], destination, new GdalRegionMosaicOptions { Resolution = 0.001, Bounds = (5.85, 44.95, 6.15, 45.15) });
        }

        using var merged = new GdalRasterSourceFactory().Open(destination);
        Assert.Equal(4326, merged.SpatialReference!.EpsgCode);
        Assert.Equal(0d, merged.NoDataValue);
        Assert.Equal((300, 200), (merged.Width, merged.Height));
        Assert.Equal([1f, 2f, 3f], At(merged, 45.05, 5.95));   // inside the west tile: its value (bilinear of a constant)
        Assert.Equal([4f, 5f, 6f], At(merged, 45.05, 6.05));   // inside the east tile
        Assert.Equal([0f, 0f, 0f], At(merged, 45.14, 5.86));   // outside both: no data
    }

    [Fact]
    public void A_tile_without_georeferencing_is_refused()
    {
        var path = _temp.File("bare.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 4, 4, 1, RasterDataType.Float32))
        {
            writer.WriteWindow<float>(0, 0, 4, 4, new float[16]);
            writer.Complete();
        }

        using var bare = new GdalRasterSourceFactory().Open(path);
        Assert.Throws<ArgumentException>(() => GdalRegionMosaic.Write([bare], _temp.File("out.tif")));
    }

    private static float[] At(IRasterSource raster, double lat, double lon)
    {
        var (col, row) = raster.GeoTransform!.Value.WorldToPixel(lon, lat);
        var values = new float[raster.BandCount];
        raster.ReadWindow<float>((int)col, (int)row, 1, 1, values);
        return values;
    }

    private string WriteConstant(string name, GeoTransform transform, int epsg, float[] value)
    {
        // About 0.1° square at 45°N: 800 x 1150 pixels of 10 m.
        const int width = 800;
        const int height = 1150;
        var path = _temp.File(name);
        var row = new float[width * value.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = value[i % value.Length];
        }

        using var writer = GdalRasterWriter.CreateGeoTiff(path, width, height, value.Length, RasterDataType.Float32, new GeoTiffWriteOptions { GeoTransform = transform, EpsgCode = epsg });
        for (var y = 0; y < height; y++)
        {
            writer.WriteWindow<float>(0, y, width, 1, row);
        }

        writer.Complete();
        return path;
    }
}
