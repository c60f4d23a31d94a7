using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

/// <summary>
/// The direct GeoTIFF read path against GDAL's own <c>RasterIO</c> (the same file opened with
/// <see cref="GdalRasterSourceOptions.DirectRead"/> off): every pixel of the whole image, of a window
/// not aligned to blocks, and of a scan in windows shorter than a block, for each layout and codec.
/// </summary>
public sealed class GdalDirectReadTests : IDisposable
{
    // Not multiples of the blocks, the 16-pixel and 16-band SIMD transposes, or the 4x4 ones.
    private const int Width = 150;
    private const int Height = 97;
    private const int Bands = 22;

    private static readonly GdalRasterSourceOptions ThroughGdal = new() { DirectRead = false };

    private readonly TempDirectory _temp = new("tessera-gdal-direct");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<RasterDataType, bool, GeoTiffInterleave, string> Layouts()
    {
        var data = new TheoryData<RasterDataType, bool, GeoTiffInterleave, string>();
        foreach (var type in new[] { RasterDataType.Byte, RasterDataType.Float32 })
        {
            foreach (var tiled in new[] { true, false })
            {
                foreach (var interleave in new[] { GeoTiffInterleave.Pixel, GeoTiffInterleave.Band })
                {
                    foreach (var codec in new[] { "NONE", "DEFLATE", "LZW", "ZSTD", "DEFLATE/2", "LZW/2", "ZSTD/2" })
                    {
                        data.Add(type, tiled, interleave, codec);
                    }

                    if (type == RasterDataType.Float32)
                    {
                        data.Add(type, tiled, interleave, "DEFLATE/3");
                        data.Add(type, tiled, interleave, "ZSTD/3");
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Direct_reads_equal_GDAL_RasterIO_for_every_pixel(RasterDataType type, bool tiled, GeoTiffInterleave interleave, string codec)
    {
        var path = Write(type, tiled, interleave, codec);
        using var direct = GdalRasterSource.Open(path);
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);
        Assert.StartsWith("direct:", direct.ReadPath, StringComparison.Ordinal);
        Assert.StartsWith("GDAL RasterIO:", gdal.ReadPath, StringComparison.Ordinal);

        AssertSameWindow(gdal, direct, 0, 0, Width, Height);
        AssertSameWindow(gdal, direct, 13, 9, 101, 61);
        AssertSameWindow(gdal, direct, Width - 1, Height - 1, 1, 1);
        for (var y = 0; y < Height; y += 5)
        {
            AssertSameWindow(gdal, direct, 0, y, Width, Math.Min(5, Height - y));
        }

        Assert.Equal(-1, RasterFixtures.FirstDifference(RasterFixtures.Expected(type, Bands, 0, 0, Width, Height), RasterFixtures.Read(direct, 0, 0, Width, Height)));
        Assert.Equal(0, direct.BlocksReadThroughGdal);
    }

    [Theory]
    [InlineData(RasterDataType.UInt16, "NONE")]
    [InlineData(RasterDataType.UInt16, "LZW/2")]
    [InlineData(RasterDataType.Int16, "DEFLATE/2")]
    [InlineData(RasterDataType.Int32, "ZSTD/2")]
    [InlineData(RasterDataType.Float64, "DEFLATE/3")]
    [InlineData(RasterDataType.Float64, "LZW/2")]
    public void Other_sample_sizes_read_directly_equal_GDAL(RasterDataType type, string codec)
    {
        var path = _temp.File($"{type}-{codec.Replace('/', 'p')}.tif");
        var random = new Random(7);
        var values = new double[Width * Height * Bands];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = type == RasterDataType.Float64 ? (random.NextDouble() * 1e6) - 5e5 : random.Next(type == RasterDataType.Int16 ? -30000 : 0, 30000);
        }

        using (var writer = GdalRasterWriter.CreateGeoTiff(path, Width, Height, Bands, type, Options(tiled: true, GeoTiffInterleave.Pixel, codec)))
        {
            writer.WriteWindow<double>(0, 0, Width, Height, values);
            writer.Complete();
        }

        using var direct = GdalRasterSource.Open(path);
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);

        Assert.StartsWith("direct:", direct.ReadPath, StringComparison.Ordinal);
        Assert.Equal(values, ReadDoubles(direct, 0, 0, Width, Height));
        Assert.Equal(ReadDoubles(gdal, 3, 5, 77, 41), ReadDoubles(direct, 3, 5, 77, 41));
        if (type == RasterDataType.UInt16)
        {
            // The stored type itself, with no conversion.
            var stored = new ushort[17 * 9 * Bands];
            direct.ReadWindow<ushort>(100, 80, 17, 9, stored);
            Assert.Equal(ReadDoubles(gdal, 100, 80, 17, 9), Array.ConvertAll(stored, v => (double)v));
        }

        Assert.Equal(0, direct.BlocksReadThroughGdal);
    }

    private static double[] ReadDoubles(GdalRasterSource source, int x, int y, int width, int height)
    {
        var values = new double[width * height * source.BandCount];
        source.ReadWindow<double>(x, y, width, height, values);
        return values;
    }

    [Theory]
    [InlineData(1, "strip", GeoTiffInterleave.Pixel, "NONE")]
    [InlineData(1, "tile", GeoTiffInterleave.Band, "LZW/2")]
    [InlineData(3, "strip", GeoTiffInterleave.Pixel, "LZW/2")]
    [InlineData(3, "single-strip", GeoTiffInterleave.Pixel, "NONE")]
    [InlineData(3, "single-strip", GeoTiffInterleave.Band, "NONE")]
    [InlineData(Bands, "single-strip", GeoTiffInterleave.Pixel, "NONE")]
    [InlineData(Bands, "single-strip", GeoTiffInterleave.Band, "NONE")]
    [InlineData(Bands, "single-strip", GeoTiffInterleave.Pixel, "DEFLATE/2")]
    [InlineData(Bands, "single-strip", GeoTiffInterleave.Band, "ZSTD")]
    [InlineData(Bands, "tile", GeoTiffInterleave.Pixel, "LZMA/2")]
    [InlineData(Bands, "tile", GeoTiffInterleave.Band, "LZMA")]
    public void Band_counts_strip_shapes_and_LZMA_read_directly_equal_GDAL(int bands, string blocks, GeoTiffInterleave interleave, string codec)
    {
        var path = _temp.File($"b{bands}-{blocks}-{interleave}-{codec.Replace('/', 'p')}.tif");
        var options = Options(tiled: blocks == "tile", interleave, codec) with { RowsPerStrip = blocks switch { "strip" => 7, "single-strip" => Height, _ => null } };
        RasterFixtures.Write(path, RasterDataType.Byte, Width, Height, bands, options, rowsPerWrite: 13);
        using var direct = GdalRasterSource.Open(path);
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);

        Assert.StartsWith("direct:", direct.ReadPath, StringComparison.Ordinal);
        AssertSameWindow(gdal, direct, 0, 0, Width, Height);
        AssertSameWindow(gdal, direct, 7, 3, 120, 90);
        for (var y = 0; y < Height; y += 6)
        {
            AssertSameWindow(gdal, direct, 1, y, Width - 2, Math.Min(6, Height - y));
        }

        Assert.Equal(0, direct.BlocksReadThroughGdal);
    }

    [Theory]
    [InlineData(1, 0L)]
    [InlineData(1, 5000L)]
    [InlineData(3, 20000L)]
    public void Any_parallelism_and_cache_budget_reads_the_same_pixels(int parallelism, long cacheBytes)
    {
        var path = Write(RasterDataType.Float32, tiled: true, GeoTiffInterleave.Band, "ZSTD/3");
        using var direct = GdalRasterSource.Open(path, new GdalRasterSourceOptions { MaxDegreeOfParallelism = parallelism, DecodedBlockCacheBytes = cacheBytes });
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);

        for (var y = 0; y < Height; y += 3)
        {
            AssertSameWindow(gdal, direct, 0, y, Width, Math.Min(3, Height - y));
            Assert.True(direct.CachedDecodedBytes <= cacheBytes, $"{direct.CachedDecodedBytes} bytes held over a budget of {cacheBytes}");
        }

        Assert.Equal(0, direct.BlocksReadThroughGdal);
    }

    [Theory]
    [InlineData("ENDIANNESS=BIG", "big-endian")]
    [InlineData("COMPRESS=PACKBITS", "COMPRESSION=PACKBITS")]
    public void Files_the_direct_path_does_not_handle_are_read_through_GDAL(string creationOption, string reason)
    {
        var path = _temp.File($"{creationOption.Replace('=', '-')}.tif");
        RasterFixtures.Write(path, RasterDataType.Float32, Width, Height, Bands, new GeoTiffWriteOptions { TileSize = (32, 16), CreationOptions = [creationOption] });

        using var source = GdalRasterSource.Open(path);

        Assert.StartsWith("GDAL RasterIO:", source.ReadPath, StringComparison.Ordinal);
        Assert.Contains(reason, source.ReadPath, StringComparison.Ordinal);
        Assert.Equal(-1, RasterFixtures.FirstDifference(RasterFixtures.Expected(RasterDataType.Float32, Bands, 0, 0, Width, Height), RasterFixtures.Read(source, 0, 0, Width, Height)));
    }

    [Fact]
    public void Odd_bit_depths_are_read_through_GDAL()
    {
        var path = _temp.File("nbits.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, 40, 30, 3, RasterDataType.UInt16, new GeoTiffWriteOptions { CreationOptions = ["NBITS=12"] }))
        {
            writer.WriteWindow<ushort>(0, 0, 40, 30, Enumerable.Range(0, 40 * 30 * 3).Select(i => (ushort)(i % 4096)).ToArray());
            writer.Complete();
        }

        using var source = GdalRasterSource.Open(path);
        var values = new ushort[40 * 30 * 3];
        source.ReadWindow<ushort>(0, 0, 40, 30, values);

        Assert.Contains("NBITS=12", source.ReadPath, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, 40 * 30 * 3).Select(i => (ushort)(i % 4096)), values);
    }

    [Theory]
    [InlineData(GeoTiffInterleave.Pixel, "NONE")]
    [InlineData(GeoTiffInterleave.Band, "NONE")]
    [InlineData(GeoTiffInterleave.Pixel, "ZSTD/2")]
    [InlineData(GeoTiffInterleave.Band, "DEFLATE/2")]
    public void Blocks_never_written_read_as_GDAL_fills_them(GeoTiffInterleave interleave, string codec)
    {
        var path = _temp.File($"sparse-{interleave}-{codec.Replace('/', 'p')}.tif");
        var options = Options(tiled: true, interleave, codec) with { NoDataValue = -5, CreationOptions = [.. Options(tiled: true, interleave, codec).CreationOptions, "SPARSE_OK=TRUE"] };
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, Width, Height, Bands, RasterDataType.Float32, options))
        {
            // Only the first two block rows and one block further down are written.
            var values = RasterFixtures.Expected(RasterDataType.Float32, Bands, 0, 0, Width, 32);
            writer.WriteWindow<float>(0, 0, Width, 32, Array.ConvertAll(values, v => (float)v));
            var block = RasterFixtures.Expected(RasterDataType.Float32, Bands, 64, 64, 32, 16);
            writer.WriteWindow<float>(64, 64, 32, 16, Array.ConvertAll(block, v => (float)v));
            writer.Complete();
        }

        using var direct = GdalRasterSource.Open(path);
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);

        Assert.StartsWith("direct:", direct.ReadPath, StringComparison.Ordinal);
        AssertSameWindow(gdal, direct, 0, 0, Width, Height);
        AssertSameWindow(gdal, direct, 50, 20, 60, 70);
        var filled = new float[Bands];
        direct.ReadWindow<float>(10, 90, 1, 1, filled);
        Assert.All(filled, v => Assert.Equal(-5f, v));
        Assert.True(direct.BlocksReadThroughGdal > 0, "the unwritten blocks did not go to GDAL");
    }

    [Fact]
    public void A_truncated_file_fails_with_GDAL_error_not_garbage()
    {
        var path = Write(RasterDataType.Byte, tiled: true, GeoTiffInterleave.Pixel, "NONE");
        var length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(length - (Width * Bands * 3));
        }

        using var source = GdalRasterSource.Open(path);
        var buffer = new byte[Width * Height * Bands];

        Assert.StartsWith("direct:", source.ReadPath, StringComparison.Ordinal);
        Assert.Throws<GdalException>(() => source.ReadWindow<byte>(0, 0, Width, Height, buffer));
        Assert.Equal(1, source.BlocksReadThroughGdal);
    }

    [Fact]
    public void Scanning_compressed_tiles_in_short_windows_keeps_each_decoded_block_only_until_its_last_row()
    {
        var path = Write(RasterDataType.Byte, tiled: true, GeoTiffInterleave.Band, "DEFLATE/2");
        using var direct = GdalRasterSource.Open(path);
        using var gdal = GdalRasterSource.Open(path, ThroughGdal);

        AssertSameWindow(gdal, direct, 0, 0, Width, 4);
        var heldAfterFirstWindow = direct.CachedDecodedBytes;
        for (var y = 4; y < Height; y += 4)
        {
            AssertSameWindow(gdal, direct, 0, y, Width, Math.Min(4, Height - y));
        }

        Assert.True(heldAfterFirstWindow > 0, "the first window's blocks were not kept for the next windows");
        Assert.Equal(0, direct.CachedDecodedBytes);
    }

    [Fact]
    public void Byte_file_read_directly_as_float_and_double_converts_exactly()
    {
        var path = Write(RasterDataType.Byte, tiled: true, GeoTiffInterleave.Pixel, "NONE");
        using var direct = GdalRasterSource.Open(path);
        var floats = new float[31 * 17 * Bands];
        var doubles = new double[31 * 17 * Bands];

        direct.ReadWindow<float>(40, 50, 31, 17, floats);
        direct.ReadWindow<double>(40, 50, 31, 17, doubles);

        var expected = RasterFixtures.Expected(RasterDataType.Byte, Bands, 40, 50, 31, 17);
        Assert.Equal(-1, RasterFixtures.FirstDifference(expected, Array.ConvertAll(floats, v => (double)v)));
        Assert.Equal(expected, doubles);
    }

    [Fact]
    public void Concurrent_direct_reads_on_one_source_return_the_right_pixels()
    {
        var path = Write(RasterDataType.Float32, tiled: true, GeoTiffInterleave.Pixel, "ZSTD/3");
        using var source = GdalRasterSource.Open(path);

        var failures = 0;
        Parallel.For(0, Height, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row =>
        {
            var actual = RasterFixtures.Read(source, 0, row, Width, 1);
            if (RasterFixtures.FirstDifference(RasterFixtures.Expected(RasterDataType.Float32, Bands, 0, row, Width, 1), actual) >= 0)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Invalid_read_settings_are_rejected_naming_the_setting()
    {
        var path = Write(RasterDataType.Byte, tiled: false, GeoTiffInterleave.Pixel, "NONE");

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GdalRasterSource.Open(path, new GdalRasterSourceOptions { MaxDegreeOfParallelism = 0 }));

        Assert.Equal("MaxDegreeOfParallelism", error.ParamName);
    }

    private static GeoTiffWriteOptions Options(bool tiled, GeoTiffInterleave interleave, string codec)
    {
        var parts = codec.Split('/');
        List<string> creation = [$"COMPRESS={parts[0]}"];
        if (parts.Length > 1)
        {
            creation.Add($"PREDICTOR={parts[1]}");
        }

        return new GeoTiffWriteOptions
        {
            Interleave = interleave,
            TileSize = tiled ? (32, 16) : null,
            RowsPerStrip = tiled ? null : 7,
            CreationOptions = creation,
        };
    }

    private string Write(RasterDataType type, bool tiled, GeoTiffInterleave interleave, string codec)
    {
        var path = _temp.File($"{type}-{(tiled ? "tiled" : "striped")}-{interleave}-{codec.Replace('/', 'p')}.tif");
        RasterFixtures.Write(path, type, Width, Height, Bands, Options(tiled, interleave, codec), rowsPerWrite: 13);
        return path;
    }

    private static void AssertSameWindow(GdalRasterSource expected, GdalRasterSource actual, int x, int y, int width, int height)
    {
        var want = RasterFixtures.Read(expected, x, y, width, height);
        var got = RasterFixtures.Read(actual, x, y, width, height);
        var at = RasterFixtures.FirstDifference(want, got);
        Assert.True(at < 0, $"window ({x}, {y}, {width}x{height}) differs at value {at}: GDAL {(at >= 0 && at < want.Length ? want[at] : double.NaN)}, direct {(at >= 0 && at < got.Length ? got[at] : double.NaN)}");
    }
}
