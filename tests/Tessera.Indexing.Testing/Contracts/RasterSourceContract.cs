using Tessera.Indexing.Rasters;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="IRasterSource"/> (and the <see cref="IRasterSourceFactory"/> or static <c>Open</c> that makes
/// it) must do, from the interfaces' documentation and what the mosaic scan relies on: the size, bands, type and
/// georeferencing of the file; pixel-interleaved windows anywhere in the raster that agree with a whole read;
/// reads as <see cref="float"/> and as the stored type that agree (<c>stored × scale</c> for an
/// <see cref="IScaledRasterSource"/>); a larger destination accepted with its tail untouched; bad windows and small
/// destinations refused with <see cref="ArgumentException"/>, unsupported element types with
/// <see cref="NotSupportedException"/>; concurrent reads; <see cref="ObjectDisposedException"/> after dispose; and
/// <see cref="FileNotFoundException"/> / <see cref="InvalidDataException"/> from opening a missing or foreign file.
/// </summary>
/// <remarks>
/// A concrete test class fills in <see cref="WriteFixture"/> and <see cref="Open"/> (through its factory where it
/// has one, so the factory's documented exceptions are checked too). <see cref="Directory"/> is a fresh folder per test.
/// </remarks>
public abstract class RasterSourceContract : IDisposable
{
    private readonly TempDirectory _directory = new("tessera-raster");

    /// <summary>A fresh folder for this test, deleted afterwards.</summary>
    protected string Directory => _directory.Path;

    /// <summary>The file name extension of the format (for the missing and foreign files), for example <c>.tif</c>.</summary>
    protected abstract string Extension { get; }

    /// <summary>Writes a small raster (a few dozen pixels a side, not a multiple of the block size) into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The file and its expected contents.</returns>
    protected abstract RasterFixture WriteFixture(string directory);

    /// <summary>Opens the raster at <paramref name="path"/> the way the application does.</summary>
    /// <param name="path">The raster's location.</param>
    /// <returns>The open raster.</returns>
    protected abstract IRasterSource Open(string path);

    /// <summary>Writes a file with the format's extension that is not a raster of the format; returns the path to open.</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The path.</returns>
    protected virtual string WriteForeignFile(string directory)
    {
        var path = System.IO.Path.Combine(directory, "not-a-raster" + Extension);
        File.WriteAllText(path, "This is plain text, not a raster of any format.\n");
        return path;
    }

    [Fact]
    public void Opening_reports_the_path_size_bands_and_data_type()
    {
        var fixture = WriteFixture(Directory);

        using var source = Open(fixture.Path);

        Assert.Equal(fixture.Path, source.Path);
        Assert.Equal((fixture.Width, fixture.Height), (source.Width, source.Height));
        Assert.Equal(fixture.BandCount, source.BandCount);
        Assert.Equal(fixture.DataType, source.DataType);
    }

    [Fact]
    public void Opening_reports_the_georeferencing_and_nodata_written()
    {
        var fixture = WriteFixture(Directory);

        using var source = Open(fixture.Path);

        Assert.Equal(fixture.GeoTransform, source.GeoTransform);
        Assert.Equal(fixture.NoDataValue, source.NoDataValue);
    }

    [Fact]
    public void The_block_size_is_positive()
    {
        using var source = Open(WriteFixture(Directory).Path);

        Assert.True(source.BlockSize.Width >= 1 && source.BlockSize.Height >= 1, $"block size {source.BlockSize}");
    }

    [Fact]
    public void A_multi_file_raster_lists_its_path_first_and_only_files_that_exist()
    {
        using var source = Open(WriteFixture(Directory).Path);
        if (source is not IMultiFileRasterSource multi)
        {
            return;
        }

        Assert.Equal(source.Path, multi.FilePaths[0]);
        Assert.All(multi.FilePaths, path => Assert.True(File.Exists(path), $"{path} does not exist"));
    }

    [Fact]
    public void Reading_the_whole_raster_as_float_returns_every_value()
    {
        var fixture = WriteFixture(Directory);
        using var source = Open(fixture.Path);
        var values = new float[fixture.Values.Length];

        source.ReadWindow<float>(0, 0, source.Width, source.Height, values);

        AssertSameValues(fixture.Values, values, "whole raster");
    }

    [Fact]
    public void Windows_anywhere_read_the_matching_part_of_the_raster()
    {
        var fixture = WriteFixture(Directory);
        using var source = Open(fixture.Path);
        var (w, h) = (source.Width, source.Height);

        foreach (var (x, y, width, height) in new[] { (0, 0, 1, 1), (w - 1, h - 1, 1, 1), (0, h - 1, w, 1), (w - 1, 0, 1, h), (1, 2, w - 3, h - 4), (w / 3, h / 2, (w / 2) + 1, (h / 3) + 1), (w - 5, h - 3, 5, 3) })
        {
            var values = new float[width * height * source.BandCount];
            source.ReadWindow<float>(x, y, width, height, values);
            AssertSameValues(Slice(fixture, x, y, width, height), values, $"window ({x}, {y}, {width}x{height})");
        }
    }

    [Fact]
    public void Reading_as_the_stored_type_agrees_with_reading_as_float()
    {
        var fixture = WriteFixture(Directory);
        using var source = Open(fixture.Path);
        var (x, y, width, height) = (1, 1, source.Width - 2, source.Height - 1);
        var floats = new float[width * height * source.BandCount];
        source.ReadWindow<float>(x, y, width, height, floats);

        var stored = ReadStored(source, x, y, width, height);

        // Per-pixel scales apply when the raster reports its stored integer type; one that reports
        // Float32 (a GeoTessera tile with per-band scales) stores what it reads.
        var scaled = source is IScaledRasterSource s && source.DataType != RasterDataType.Float32 ? s : null;
        var scales = new float[width * height];
        scaled?.ReadScales(x, y, width, height, scales);
        for (var i = 0; i < floats.Length; i++)
        {
            var expected = scaled is not null ? (float)stored[i] * scales[i / source.BandCount] : (float)stored[i];
            Assert.True(SameValue(expected, floats[i]), $"value {i}: stored {stored[i]} reads as float {floats[i]}, expected {expected}");
        }
    }

    [Fact]
    public void A_larger_destination_is_accepted_and_its_tail_left_untouched()
    {
        var fixture = WriteFixture(Directory);
        using var source = Open(fixture.Path);
        var needed = 3 * 2 * source.BandCount;
        var values = Enumerable.Repeat(-12345f, needed + 17).ToArray();

        source.ReadWindow<float>(1, 1, 3, 2, values);

        AssertSameValues(Slice(fixture, 1, 1, 3, 2), values.AsSpan(0, needed).ToArray(), "window (1, 1, 3x2)");
        Assert.All(values[needed..], v => Assert.Equal(-12345f, v));
    }

    [Fact]
    public void A_destination_too_small_is_refused_with_ArgumentException()
    {
        using var source = Open(WriteFixture(Directory).Path);

        Assert.ThrowsAny<ArgumentException>(() => source.ReadWindow<float>(0, 0, 2, 2, new float[(2 * 2 * source.BandCount) - 1]));
    }

    [Fact]
    public void Windows_outside_the_raster_are_refused_with_ArgumentException()
    {
        using var source = Open(WriteFixture(Directory).Path);
        var (w, h) = (source.Width, source.Height);
        var buffer = new float[(w + 2) * (h + 2) * source.BandCount];

        foreach (var (x, y, width, height) in new[] { (-1, 0, 1, 1), (0, -1, 1, 1), (w, 0, 1, 1), (0, h, 1, 1), (w - 1, 0, 2, 1), (0, h - 1, 1, 2), (0, 0, w + 1, h), (1, 0, int.MaxValue, 1), (0, 1, 1, int.MaxValue), (0, 0, -1, 1), (0, 0, 1, -1) })
        {
            Assert.ThrowsAny<ArgumentException>(() => source.ReadWindow<float>(x, y, width, height, buffer));
        }
    }

    [Fact]
    public void An_unsupported_element_type_is_refused_with_NotSupportedException()
    {
        using var source = Open(WriteFixture(Directory).Path);

        Assert.Throws<NotSupportedException>(() => source.ReadWindow<Unsupported>(0, 0, 1, 1, new Unsupported[source.BandCount]));
    }

    [Fact]
    public async Task Concurrent_reads_return_the_same_values_as_serial_reads()
    {
        var fixture = WriteFixture(Directory);
        using var source = Open(fixture.Path);
        var rows = Enumerable.Range(0, source.Height).ToArray();

        var reads = await Task.WhenAll(Enumerable.Range(0, 4 * source.Height).Select(i => Task.Run(() =>
        {
            var row = rows[i % rows.Length];
            var values = new float[source.Width * source.BandCount];
            source.ReadWindow<float>(0, row, source.Width, 1, values);
            return (row, values);
        })));

        foreach (var (row, values) in reads)
        {
            AssertSameValues(Slice(fixture, 0, row, fixture.Width, 1), values, $"row {row}");
        }
    }

    [Fact]
    public void Disposing_twice_is_harmless_and_later_reads_throw_ObjectDisposedException()
    {
        var source = Open(WriteFixture(Directory).Path);

        source.Dispose();
        source.Dispose();

        Assert.Throws<ObjectDisposedException>(() => source.ReadWindow<float>(0, 0, 1, 1, new float[source.BandCount]));
    }

    [Fact]
    public void Opening_a_missing_file_throws_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => Open(System.IO.Path.Combine(Directory, "missing" + Extension)));
    }

    [Fact]
    public void Opening_a_file_that_is_not_a_raster_throws_InvalidDataException()
    {
        var path = WriteForeignFile(Directory);

        Assert.Throws<InvalidDataException>(() => Open(path));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    private static float[] Slice(RasterFixture fixture, int x, int y, int width, int height)
    {
        var result = new float[width * height * fixture.BandCount];
        for (var r = 0; r < height; r++)
        {
            fixture.Values.AsSpan((((y + r) * fixture.Width) + x) * fixture.BandCount, width * fixture.BandCount)
                .CopyTo(result.AsSpan(r * width * fixture.BandCount));
        }

        return result;
    }

    private static double[] ReadStored(IRasterSource source, int x, int y, int width, int height)
    {
        var n = width * height * source.BandCount;
        return source.DataType switch
        {
            RasterDataType.Byte => Widen<byte>(source, x, y, width, height, n, v => v),
            RasterDataType.Int8 => Widen<sbyte>(source, x, y, width, height, n, v => v),
            RasterDataType.UInt16 => Widen<ushort>(source, x, y, width, height, n, v => v),
            RasterDataType.Int16 => Widen<short>(source, x, y, width, height, n, v => v),
            RasterDataType.UInt32 => Widen<uint>(source, x, y, width, height, n, v => v),
            RasterDataType.Int32 => Widen<int>(source, x, y, width, height, n, v => v),
            RasterDataType.Float32 => Widen<float>(source, x, y, width, height, n, v => v),
            RasterDataType.Float64 => Widen<double>(source, x, y, width, height, n, v => v),
            _ => throw new InvalidOperationException($"A raster must report a known data type, not {source.DataType}."),
        };
    }

    private static double[] Widen<T>(IRasterSource source, int x, int y, int width, int height, int n, Func<T, double> widen)
        where T : unmanaged
    {
        var values = new T[n];
        source.ReadWindow<T>(x, y, width, height, values);
        return Array.ConvertAll(values, v => widen(v));
    }

    private static bool SameValue(float expected, float actual) =>
        expected.Equals(actual) || (float.IsNaN(expected) && float.IsNaN(actual));

    private static void AssertSameValues(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(SameValue(expected[i], actual[i]), $"{what}, value {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>An element type no raster converts to.</summary>
    private readonly record struct Unsupported(short A, byte B);
}
