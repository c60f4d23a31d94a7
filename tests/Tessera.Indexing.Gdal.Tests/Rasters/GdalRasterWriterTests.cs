using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

public sealed class GdalRasterWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-gdal-writer");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Creating_a_file_in_a_missing_folder_throws_GdalException_with_gdals_message()
    {
        var path = Path.Combine(_temp.Path, "no", "such", "folder", "x.tif");

        var error = Assert.Throws<GdalException>(() => GdalRasterWriter.CreateGeoTiff(path, 4, 4, 1, RasterDataType.Byte));

        Assert.Contains("create GTiff", error.Operation, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
    }

    [Fact]
    public void An_unknown_epsg_code_throws_GdalException_naming_the_code()
    {
        var path = _temp.File("bad-crs.tif");

        var error = Assert.Throws<GdalException>(() => GdalRasterWriter.CreateGeoTiff(path, 4, 4, 1, RasterDataType.Byte, new GeoTiffWriteOptions { EpsgCode = 999999 }));

        Assert.Contains("EPSG:999999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tiles_that_are_not_multiples_of_16_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GdalRasterWriter.CreateGeoTiff(_temp.File("t.tif"), 64, 64, 1, RasterDataType.Byte, new GeoTiffWriteOptions { TileSize = (20, 16) }));
    }

    [Fact]
    public void A_window_with_the_wrong_number_of_values_is_rejected()
    {
        using var writer = GdalRasterWriter.CreateGeoTiff(_temp.File("w.tif"), 8, 8, 3, RasterDataType.Byte);

        Assert.Throws<ArgumentException>(() => writer.WriteWindow<byte>(0, 0, 2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteWindow<byte>(7, 0, 2, 2, new byte[12]));
    }

    [Fact]
    public void An_int8_file_on_gdal_before_3_7_accepts_only_sbyte_values()
    {
        using var writer = GdalRasterWriter.CreateGeoTiff(_temp.File("i8.tif"), 2, 1, 1, RasterDataType.Int8);

        if (GdalRuntime.HasNativeInt8)
        {
            writer.WriteWindow<float>(0, 0, 2, 1, [-3f, 4f]);
        }
        else
        {
            Assert.Throws<NotSupportedException>(() => writer.WriteWindow<float>(0, 0, 2, 1, [-3f, 4f]));
        }
    }

    [Fact]
    public void Sbyte_values_written_to_a_float_file_read_back_as_the_same_numbers()
    {
        var path = _temp.File("f.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 3, 1, 2, RasterDataType.Float32))
        {
            writer.WriteWindow<sbyte>(0, 0, 3, 1, [-128, 127, -1, 0, 5, -5]);
            writer.Complete();
        }

        using var source = GdalRasterSource.Open(path);
        var values = new float[6];
        source.ReadWindow<float>(0, 0, 3, 1, values);

        Assert.Equal(new float[] { -128, 127, -1, 0, 5, -5 }, values);
    }

    [Fact]
    public void Writing_after_complete_throws_ObjectDisposedException()
    {
        var writer = GdalRasterWriter.CreateGeoTiff(_temp.File("c.tif"), 2, 2, 1, RasterDataType.Byte);
        writer.Complete();
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteWindow<byte>(0, 0, 1, 1, new byte[1]));
    }
}
