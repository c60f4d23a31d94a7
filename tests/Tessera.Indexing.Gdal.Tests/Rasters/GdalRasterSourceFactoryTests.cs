using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

public sealed class GdalRasterSourceFactoryTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-gdal-factory");
    private readonly GdalRasterSourceFactory _factory = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Opening_a_missing_file_throws_FileNotFoundException_naming_it()
    {
        var path = _temp.File("nope.tif");

        var error = Assert.Throws<FileNotFoundException>(() => _factory.Open(path));

        Assert.Equal(path, error.FileName);
    }

    [Fact]
    public void Opening_a_text_file_throws_InvalidDataException_with_gdals_message()
    {
        var path = _temp.File("notes.txt");
        File.WriteAllText(path, "this is not a raster, just some words\n");

        var error = Assert.Throws<InvalidDataException>(() => _factory.Open(path));

        var gdal = Assert.IsType<GdalException>(error.InnerException);
        Assert.Contains("not recognized as a supported file format", gdal.NativeMessage, StringComparison.Ordinal);
        Assert.Contains(gdal.NativeMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_an_empty_file_throws_InvalidDataException()
    {
        var path = _temp.File("empty.tif");
        File.WriteAllBytes(path, []);

        Assert.Throws<InvalidDataException>(() => _factory.Open(path));
    }

    [Fact]
    public void Reading_a_truncated_geotiff_throws_GdalException_with_gdals_message()
    {
        var path = _temp.File("truncated.tif");
        RasterFixtures.Write(path, RasterDataType.Byte, 64, 64, 16, new GeoTiffWriteOptions { RowsPerStrip = 4 });
        var length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(length / 2);
        }

        GdalException error;
        using (var source = _factory.Open(path))
        {
            error = Assert.Throws<GdalException>(() => source.ReadWindow<byte>(0, 0, 64, 64, new byte[64 * 64 * 16]));
        }

        Assert.False(string.IsNullOrWhiteSpace(error.NativeMessage));
        Assert.Contains(error.NativeMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains("read window", error.Operation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_geotiff_with_a_corrupt_header_throws_InvalidDataException()
    {
        var path = _temp.File("corrupt.tif");
        RasterFixtures.Write(path, RasterDataType.Byte, 16, 16, 3, new GeoTiffWriteOptions());
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(4, 4).Fill(0xFF); // the first IFD's offset now points far past the end
        File.WriteAllBytes(path, bytes);

        Assert.Throws<InvalidDataException>(() => _factory.Open(path));
    }

    [Fact]
    public void The_factory_opens_a_geotiff_as_a_raster_source()
    {
        var path = _temp.File("ok.tif");
        RasterFixtures.Write(path, RasterDataType.Float32, 20, 10, 4, new GeoTiffWriteOptions { GeoTransform = RasterFixtures.Transform });

        using var source = _factory.Open(path);

        Assert.IsType<GdalRasterSource>(source);
        Assert.Equal((20, 10, 4, RasterDataType.Float32), (source.Width, source.Height, source.BandCount, source.DataType));
    }
}
