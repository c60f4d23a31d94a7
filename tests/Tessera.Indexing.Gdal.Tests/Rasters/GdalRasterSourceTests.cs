using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

public sealed class GdalRasterSourceTests : IDisposable
{
    private const int Width = 67;
    private const int Height = 45;
    private const int Bands = 128;
    private static readonly (int X, int Y, int Width, int Height) Hole = (10, 20, 9, 6);

    private readonly TempDirectory _temp = new("tessera-gdal");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<RasterDataType, GeoTiffInterleave, bool> Layouts()
    {
        var data = new TheoryData<RasterDataType, GeoTiffInterleave, bool>();
        foreach (var type in new[] { RasterDataType.Byte, RasterDataType.Int8, RasterDataType.Float32 })
        {
            foreach (var interleave in new[] { GeoTiffInterleave.Pixel, GeoTiffInterleave.Band })
            {
                data.Add(type, interleave, true);
                data.Add(type, interleave, false);
            }
        }

        return data;
    }

    private static double NoDataFor(RasterDataType type) => type switch
    {
        RasterDataType.Byte => 0,
        RasterDataType.Int8 => -128,
        _ => -9999,
    };

    private string WriteFixture(RasterDataType type, GeoTiffInterleave interleave, bool tiled, GeoTiffCompression compression = GeoTiffCompression.None)
    {
        var path = _temp.File($"{type}-{interleave}-{(tiled ? "tiled" : "striped")}-{compression}.tif");
        RasterFixtures.Write(path, type, Width, Height, Bands, new GeoTiffWriteOptions
        {
            Interleave = interleave,
            TileSize = tiled ? (32, 16) : null,
            RowsPerStrip = tiled ? null : 5,
            Compression = compression,
            NoDataValue = NoDataFor(type),
            GeoTransform = RasterFixtures.Transform,
            EpsgCode = 4326,
        }, Hole);
        return path;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Whole_image_reads_back_exactly_what_was_written(RasterDataType type, GeoTiffInterleave interleave, bool tiled)
    {
        var path = WriteFixture(type, interleave, tiled);
        using var source = GdalRasterSource.Open(path);

        var actual = RasterFixtures.Read(source, 0, 0, Width, Height);

        var expected = RasterFixtures.Expected(type, Bands, 0, 0, Width, Height, NoDataFor(type), Hole);
        Assert.Equal(-1, RasterFixtures.FirstDifference(expected, actual));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Odd_windows_read_back_exactly_what_was_written(RasterDataType type, GeoTiffInterleave interleave, bool tiled)
    {
        var path = WriteFixture(type, interleave, tiled);
        using var source = GdalRasterSource.Open(path);

        foreach (var (x, y, w, h) in new[] { (5, 7, 23, 19), (Width - 7, Height - 5, 7, 5), (31, 15, 3, 2), (0, 44, 67, 1), (66, 0, 1, 45) })
        {
            var actual = RasterFixtures.Read(source, x, y, w, h);
            var expected = RasterFixtures.Expected(type, Bands, x, y, w, h, NoDataFor(type), Hole);
            Assert.True(RasterFixtures.FirstDifference(expected, actual) < 0, $"window ({x}, {y}, {w}x{h}) differs at {RasterFixtures.FirstDifference(expected, actual)}");
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Size_type_and_georeferencing_are_reported_as_written(RasterDataType type, GeoTiffInterleave interleave, bool tiled)
    {
        var path = WriteFixture(type, interleave, tiled);
        using var source = GdalRasterSource.Open(path);

        Assert.Equal((Width, Height, Bands), (source.Width, source.Height, source.BandCount));
        Assert.Equal(type, source.DataType);
        Assert.Equal(RasterFixtures.Transform, source.GeoTransform);
        Assert.Equal(4326, source.SpatialReference?.EpsgCode);
        Assert.Contains("WGS 84", source.SpatialReference!.Wkt, StringComparison.Ordinal);
        Assert.Equal(NoDataFor(type), source.NoDataValue);
        Assert.Equal(tiled ? (32, 16) : (Width, 5), source.BlockSize);
        Assert.Equal("GTiff", source.DriverName);
        Assert.Equal(path, source.Path);
    }

    [Fact]
    public void Deflate_compressed_file_reads_back_exactly()
    {
        var path = WriteFixture(RasterDataType.Float32, GeoTiffInterleave.Band, tiled: true, GeoTiffCompression.Deflate);
        using var source = GdalRasterSource.Open(path);

        var actual = RasterFixtures.Read(source, 3, 4, 40, 30);

        Assert.Equal(-1, RasterFixtures.FirstDifference(RasterFixtures.Expected(RasterDataType.Float32, Bands, 3, 4, 40, 30, -9999, Hole), actual));
    }

    [Fact]
    public void Byte_file_read_as_float_converts_each_value()
    {
        var path = WriteFixture(RasterDataType.Byte, GeoTiffInterleave.Pixel, tiled: false);
        using var source = GdalRasterSource.Open(path);
        var buffer = new float[9 * 4 * Bands];

        source.ReadWindow<float>(30, 30, 9, 4, buffer);

        var expected = RasterFixtures.Expected(RasterDataType.Byte, Bands, 30, 30, 9, 4);
        Assert.Equal(-1, RasterFixtures.FirstDifference(expected, Array.ConvertAll(buffer, v => (double)v)));
    }

    [Fact]
    public void Int8_file_read_as_float_keeps_negative_values()
    {
        var path = WriteFixture(RasterDataType.Int8, GeoTiffInterleave.Band, tiled: true);
        using var source = GdalRasterSource.Open(path);
        var buffer = new float[9 * 4 * Bands];

        source.ReadWindow<float>(30, 30, 9, 4, buffer);

        var expected = RasterFixtures.Expected(RasterDataType.Int8, Bands, 30, 30, 9, 4);
        Assert.Contains(expected, v => v < 0);
        Assert.Equal(-1, RasterFixtures.FirstDifference(expected, Array.ConvertAll(buffer, v => (double)v)));
    }

    [Fact]
    public void Float_file_read_as_sbyte_is_rounded_and_saturated()
    {
        var path = _temp.File("small-float.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 4, 1, 1, RasterDataType.Float32))
        {
            writer.WriteWindow<float>(0, 0, 4, 1, [-300f, -2.6f, 3.4f, 1000f]);
        }

        using var source = GdalRasterSource.Open(path);
        var buffer = new sbyte[4];
        source.ReadWindow<sbyte>(0, 0, 4, 1, buffer);

        Assert.Equal(new sbyte[] { -128, -3, 3, 127 }, buffer);
    }

    [Fact]
    public void A_file_without_georeferencing_or_nodata_reports_null()
    {
        var path = _temp.File("plain.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 8, 8, 3, RasterDataType.Byte))
        {
            writer.WriteWindow<byte>(0, 0, 8, 8, new byte[8 * 8 * 3]);
        }

        using var source = GdalRasterSource.Open(path);

        Assert.Null(source.GeoTransform);
        Assert.Null(source.SpatialReference);
        Assert.Null(source.NoDataValue);
    }

    [Fact]
    public void A_projected_crs_reports_its_epsg_code()
    {
        var path = _temp.File("utm.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 8, 8, 1, RasterDataType.Byte, new GeoTiffWriteOptions { EpsgCode = 32630, GeoTransform = new GeoTransform(500000, 10, 0, 5800000, 0, -10) }))
        {
            writer.WriteWindow<byte>(0, 0, 8, 8, new byte[64]);
        }

        using var source = GdalRasterSource.Open(path);

        Assert.Equal(32630, source.SpatialReference?.EpsgCode);
        Assert.Contains("UTM zone 30N", source.SpatialReference!.Wkt, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_outside_the_raster_is_rejected()
    {
        var path = WriteFixture(RasterDataType.Byte, GeoTiffInterleave.Pixel, tiled: false);
        using var source = GdalRasterSource.Open(path);
        var buffer = new byte[10 * 10 * Bands];

        Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadWindow<byte>(Width - 5, 0, 10, 10, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadWindow<byte>(-1, 0, 10, 10, buffer));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ReadWindow<byte>(0, 0, 0, 10, buffer));
    }

    [Fact]
    public void A_destination_too_small_for_the_window_is_rejected()
    {
        var path = WriteFixture(RasterDataType.Byte, GeoTiffInterleave.Pixel, tiled: false);
        using var source = GdalRasterSource.Open(path);

        var error = Assert.Throws<ArgumentException>(() => source.ReadWindow<byte>(0, 0, 10, 10, new byte[(10 * 10 * Bands) - 1]));

        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public void An_unsupported_element_type_is_rejected()
    {
        var path = WriteFixture(RasterDataType.Byte, GeoTiffInterleave.Pixel, tiled: false);
        using var source = GdalRasterSource.Open(path);

        Assert.Throws<NotSupportedException>(() => source.ReadWindow<long>(0, 0, 1, 1, new long[Bands]));
    }

    [Fact]
    public void Reading_after_dispose_throws_ObjectDisposedException()
    {
        var path = WriteFixture(RasterDataType.Byte, GeoTiffInterleave.Pixel, tiled: false);
        var source = GdalRasterSource.Open(path);
        source.Dispose();
        source.Dispose();

        Assert.Throws<ObjectDisposedException>(() => source.ReadWindow<byte>(0, 0, 1, 1, new byte[Bands]));
    }

    [Fact]
    public void Concurrent_reads_on_one_source_return_the_right_pixels()
    {
        var path = WriteFixture(RasterDataType.Float32, GeoTiffInterleave.Band, tiled: true);
        using var source = GdalRasterSource.Open(path);

        var failures = 0;
        Parallel.For(0, Height, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row =>
        {
            var actual = RasterFixtures.Read(source, 0, row, Width, 1);
            if (RasterFixtures.FirstDifference(RasterFixtures.Expected(RasterDataType.Float32, Bands, 0, row, Width, 1, -9999, Hole), actual) >= 0)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }
}
