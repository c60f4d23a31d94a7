using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Gdal.Tests.Rasters;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Mosaics;

/// <summary>
/// End to end on real GeoTIFFs written through GDAL (both interleaves, tiled and striped, with a nodata
/// region): the outputs are checked by Python's own numpy, faiss and GDAL.
/// </summary>
public sealed class MosaicGeoTiffTests
{
    private const int Width = 70;
    private const int Height = 53;
    private const int Bands = 16;
    private static readonly (int X, int Y, int Width, int Height) Hole = (5, 7, 20, 11);

    /// <summary>
    /// Reads the GeoTIFF with GDAL and the viewport with numpy and faiss; prints how they compare.
    /// all_embeddings must equal the pixels (÷255 for float32 from Byte) reshaped to (H×W, bands).
    /// </summary>
    private const string CheckScript = """
        import sys, json, numpy as np, faiss
        from osgeo import gdal
        tif, folder, divisor = sys.argv[1], sys.argv[2], float(sys.argv[3])
        ds = gdal.Open(tif)
        pixels = ds.ReadAsArray()                      # (bands, H, W)
        if pixels.dtype == np.uint8 and ds.GetRasterBand(1).GetMetadataItem('PIXELTYPE', 'IMAGE_STRUCTURE') == 'SIGNEDBYTE':
            pixels = pixels.view(np.int8)
        expected = np.transpose(pixels, (1, 2, 0)).reshape(-1, ds.RasterCount)
        a = np.load(folder + '/all_embeddings.npy', mmap_mode='r')
        if a.dtype == np.float32:
            expected = expected.astype(np.float32) / np.float32(divisor) if divisor != 1 else expected.astype(np.float32)
        index = faiss.read_index(folder + '/embeddings.index')
        meta = json.load(open(folder + '/metadata.json'))
        print(json.dumps({
            "dtype": a.dtype.str, "shape": list(a.shape), "equal": bool(np.array_equal(a, expected)),
            "ntotal": int(index.ntotal), "d": int(index.d),
            "gdal_geotransform": list(ds.GetGeoTransform()),
            "meta_geotransform": meta["geotransform"], "meta_sampled": meta["num_sampled_pixels"],
            "meta_nodata": meta["nodata_pixels"]}))
        """;

    public static TheoryData<GeoTiffInterleave, bool> Layouts => new()
    {
        { GeoTiffInterleave.Pixel, true },
        { GeoTiffInterleave.Pixel, false },
        { GeoTiffInterleave.Band, true },
        { GeoTiffInterleave.Band, false },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_byte_geotiff_gives_all_embeddings_numpy_reads_as_its_pixels_over_255_and_an_index_faiss_reads(GeoTiffInterleave interleave, bool tiled)
    {
        using var dir = new TempDirectory();
        var tif = dir.File("mosaic.tif");
        RasterFixtures.Write(tif, RasterDataType.Byte, Width, Height, Bands, Options(interleave, tiled), Hole);

        var result = new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(tif, Options(dir.File("out"), factor: 3, factory: "IVF2,Flat"));

        var py = Python.RunJson(CheckScript, tif, result.Directory, "255");
        Assert.Equal("<f4", py.GetProperty("dtype").GetString());
        Assert.Equal([Width * Height, Bands], py.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.True(py.GetProperty("equal").GetBoolean(), "all_embeddings.npy differs from the GeoTIFF's pixels / 255");
        Assert.Equal(result.SampledPixels, py.GetProperty("ntotal").GetInt64());
        Assert.Equal(ExpectedSampled(3), py.GetProperty("ntotal").GetInt64());
        Assert.Equal(Hole.Width * Hole.Height, py.GetProperty("meta_nodata").GetInt64());
        AssertGeoTransform(py);
    }

    [Fact]
    public void A_byte_geotiff_stored_as_uint8_is_its_exact_pixels()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("mosaic.tif");
        RasterFixtures.Write(tif, RasterDataType.Byte, Width, Height, Bands, Options(GeoTiffInterleave.Band, tiled: true), Hole);

        var result = new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(
            tif, Options(dir.File("out"), factor: 2, factory: "Flat", storage: MosaicEmbeddingsType.UInt8));

        var py = Python.RunJson(CheckScript, tif, result.Directory, "1");
        Assert.Equal("|u1", py.GetProperty("dtype").GetString());
        Assert.True(py.GetProperty("equal").GetBoolean(), "all_embeddings.npy (uint8) differs from the GeoTIFF's pixels");
        Assert.Equal(ExpectedSampled(2), py.GetProperty("ntotal").GetInt64());
    }

    [Fact]
    public void A_float32_geotiff_is_stored_as_is()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("mosaic.tif");
        RasterFixtures.Write(tif, RasterDataType.Float32, Width, Height, Bands, Options(GeoTiffInterleave.Pixel, tiled: false) with { NoDataValue = -9999 }, Hole);

        var result = new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(tif, Options(dir.File("out"), factor: 4, factory: "Flat"));

        var py = Python.RunJson(CheckScript, tif, result.Directory, "1");
        Assert.True(py.GetProperty("equal").GetBoolean(), "all_embeddings.npy differs from the float32 GeoTIFF");
        Assert.Equal(ExpectedSampled(4), py.GetProperty("ntotal").GetInt64());
        Assert.Equal(-9999.0, result.Metadata.SourceNodata);
    }

    [Fact]
    public void An_int8_geotiff_is_stored_as_its_signed_values()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("mosaic.tif");
        RasterFixtures.Write(tif, RasterDataType.Int8, Width, Height, Bands, Options(GeoTiffInterleave.Pixel, tiled: true) with { NoDataValue = null });

        var result = new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(tif, Options(dir.File("out"), factor: 4, factory: "Flat"));

        var py = Python.RunJson(CheckScript, tif, result.Directory, "1");
        Assert.True(py.GetProperty("equal").GetBoolean(), "all_embeddings.npy differs from the int8 GeoTIFF");
        Assert.Equal(RasterDataType.Int8, result.Metadata.SourceDataType);
    }

    [Fact]
    public void A_geotiff_of_int16_bands_is_refused_as_unsupported()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("int16.tif");
        using (var writer = GdalRasterWriter.CreateGeoTiff(tif, 8, 8, 4, RasterDataType.Int16, new GeoTiffWriteOptions { GeoTransform = RasterFixtures.Transform }))
        {
            writer.WriteWindow<short>(0, 0, 8, 8, new short[8 * 8 * 4]);
            writer.Complete();
        }

        var error = Assert.Throws<MosaicIndexException>(() =>
            new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(tif, Options(dir.File("out"))));

        Assert.Equal(MosaicIndexErrorKind.UnsupportedDataType, error.Kind);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_text_file_named_tif_is_refused_as_not_a_raster()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("fake.tif");
        File.WriteAllText(tif, "just text");

        var error = Assert.Throws<MosaicIndexException>(() =>
            new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory()).Build(tif, Options(dir.File("out"))));

        Assert.Equal(MosaicIndexErrorKind.NotARaster, error.Kind);
        Assert.Contains("fake.tif", error.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    private static void AssertGeoTransform(System.Text.Json.JsonElement py)
    {
        var gdalTransform = py.GetProperty("gdal_geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var metaTransform = py.GetProperty("meta_geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(gdalTransform, metaTransform);
        Assert.Equal(RasterFixtures.Transform.ToArray(), metaTransform);
    }

    private static long ExpectedSampled(int factor)
    {
        long count = 0;
        for (var y = 0; y < Height; y += factor)
        {
            for (var x = 0; x < Width; x += factor)
            {
                var inHole = x >= Hole.X && x < Hole.X + Hole.Width && y >= Hole.Y && y < Hole.Y + Hole.Height;
                if (!inHole && !AllZero(y, x))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static bool AllZero(int row, int col) => Enumerable.Range(0, Bands).All(b => RasterFixtures.Value(RasterDataType.Byte, row, col, b) == 0);

    private static GeoTiffWriteOptions Options(GeoTiffInterleave interleave, bool tiled) => new()
    {
        Interleave = interleave,
        TileSize = tiled ? (32, 16) : null,
        RowsPerStrip = tiled ? null : 5,
        NoDataValue = 0,
        GeoTransform = RasterFixtures.Transform,
        EpsgCode = 4326,
    };

    private static MosaicIndexOptions Options(string root, int factor = 4, string factory = "IVF2,Flat", MosaicEmbeddingsType storage = MosaicEmbeddingsType.Float32) => new()
    {
        ViewportId = "vp",
        OutputRoot = root,
        SamplingFactor = factor,
        IndexFactory = factory,
        AllEmbeddingsType = storage,
    };
}
