using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.GeoTessera;

public sealed class GeoTesseraTileSourceTests
{
    /// <summary>Writes a GeoTessera-like tile pair with NumPy, and the dequantised reference as raw float32.</summary>
    private const string TileScript = """
        import sys, numpy as np
        base, h, w, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        rng = np.random.default_rng(3)
        q = rng.integers(-127, 128, size=(h, w, d), dtype=np.int8)
        s = (rng.random((h, w)) * 0.05 + 0.001).astype(np.float32)
        q[0, 0, :] = 0        # an all-zero pixel
        s[1, 1] = np.nan      # a pixel without a valid scale
        np.save(base + '.npy', q)
        np.save(base + '_scales.npy', s)
        (q.astype(np.float32) * s[..., np.newaxis]).tofile(base + '.f32')
        """;

    [Fact]
    public void A_numpy_tile_pair_reads_as_an_int8_raster_dequantised_per_pixel()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_77.55_13.05");
        Python.Run(TileScript, tile, "6", "5", "16");
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(tile + ".f32")).ToArray();

        using var source = GeoTesseraTileSource.Open(tile + ".npy", geoTransform: new GeoTransform(500_000, 10, 0, 1_450_000, 0, -10));

        Assert.Equal((5, 6, 16), (source.Width, source.Height, source.BandCount));
        Assert.Equal(RasterDataType.Int8, source.DataType);
        var window = new float[2 * 3 * 16];
        source.ReadWindow<float>(1, 2, 3, 2, window);
        for (var r = 0; r < 2; r++)
        {
            var row = expected.AsSpan((((2 + r) * 5) + 1) * 16, 3 * 16).ToArray();
            Assert.Equal(row, window.AsSpan(r * 48, 48).ToArray());
        }
    }

    [Fact]
    public void A_sidecar_gives_the_tile_its_geotransform_and_crs()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_1_2");
        Python.Run(TileScript, tile, "3", "3", "8");
        File.WriteAllText(tile + ".geo.json", """{"geotransform": [600000, 10, 0, 1500000, 0, -10], "crs": "EPSG:32643"}""");

        using var source = GeoTesseraTileSource.Open(tile + ".npy");

        Assert.Equal(new GeoTransform(600000, 10, 0, 1500000, 0, -10), source.GeoTransform);
        Assert.Equal(32643, source.SpatialReference!.EpsgCode);
        Assert.Equal([tile + ".npy", tile + "_scales.npy"], source.FilePaths);
    }

    [Fact]
    public void A_tile_without_georeferencing_has_no_geotransform_and_the_build_refuses_it()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_3_4");
        Python.Run(TileScript, tile, "3", "3", "8");

        using var source = GeoTesseraTileSource.Open(tile + ".npy");
        Assert.Null(source.GeoTransform);
        var error = Assert.Throws<MosaicIndexException>(() => new MosaicIndexer().Build(source, new MosaicIndexOptions { ViewportId = "t", OutputRoot = dir.File("out") }));
        Assert.Equal(MosaicIndexErrorKind.MissingGeoTransform, error.Kind);
    }

    [Fact]
    public void Scales_of_the_wrong_shape_are_refused_naming_both_files()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_5_6");
        Python.Run(TileScript, tile, "4", "3", "8");
        using (var writer = NpyWriter.Create(tile + "_scales.npy", NpyDataType.Float32, [3, 4]))
        {
            writer.Write<float>(new float[12]);
            writer.Complete();
        }

        var error = Assert.Throws<InvalidDataException>(() => GeoTesseraTileSource.Open(tile + ".npy"));

        Assert.Contains("_scales.npy", error.Message);
        Assert.Contains("(4, 3)", error.Message);
    }

    [Fact]
    public void A_missing_scales_file_is_reported_and_the_indexer_calls_the_tile_not_found_even_when_gdal_is_tried_first()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_7_8");
        Python.Run(TileScript, tile, "3", "3", "8");
        File.Delete(tile + "_scales.npy");
        var indexer = new MosaicIndexer(rasterSourceFactory: new Tessera.Indexing.Gdal.Rasters.GdalRasterSourceFactory());

        var error = Assert.Throws<FileNotFoundException>(() => GeoTesseraTileSource.Open(tile + ".npy"));
        var build = Assert.Throws<MosaicIndexException>(() => indexer.Build(tile + ".npy", new MosaicIndexOptions { ViewportId = "t", OutputRoot = dir.File("out") }));

        Assert.Contains("_scales.npy", error.Message);
        Assert.Equal(MosaicIndexErrorKind.SourceNotFound, build.Kind);
        Assert.Contains("_scales.npy", build.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_tile_indexes_with_dequantised_vectors_and_skips_zero_and_nan_scale_pixels()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_77.55_13.05");
        Python.Run(TileScript, tile, "12", "10", "16");
        File.WriteAllText(tile + ".geo.json", """{"geotransform": [77.5, 0.0001, 0, 13.1, 0, -0.0001], "crs": "EPSG:4326"}""");
        var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(tile + ".f32")).ToArray();

        var result = new MosaicIndexer().Build(tile + ".npy", new MosaicIndexOptions { ViewportId = "tile", OutputRoot = dir.File("out"), SamplingFactor = 1, IndexFactory = "Flat" });

        Assert.Equal(RasterDataType.Int8, result.Metadata.SourceDataType);
        Assert.Equal(2, result.Metadata.NodataPixels);
        Assert.Equal(118, result.SampledPixels);
        using var npy = NpyMemoryMappedArray.Open(result.AllEmbeddingsPath);
        var stored = npy.AsSpan<float>().ToArray();
        Assert.Equal(expected.Where(v => !float.IsNaN(v)), stored.Where(v => !float.IsNaN(v)));
        using var index = Tessera.Indexing.Faiss.FaissIndex.Load(result.IndexPath);
        var hit = index.Search(expected.AsSpan(37 * 16, 16), 1)[0];
        Assert.Equal(37, hit.Label);
        Assert.Equal(0f, hit.Distance);
        // The fingerprint covers both files of the pair.
        Assert.Equal(new FileInfo(tile + ".npy").Length + new FileInfo(tile + "_scales.npy").Length, result.Metadata.SourceFingerprint.SizeBytes);
    }

    [Fact]
    public async Task With_gdal_registered_too_the_indexer_from_dependency_injection_opens_a_tile_with_the_geotessera_factory()
    {
        using var dir = new TempDirectory();
        var tile = dir.File("grid_1_2");
        Python.Run(TileScript, tile, "6", "5", "8");
        File.WriteAllText(tile + ".geo.json", """{"geotransform": [77.5, 0.0001, 0, 13.1, 0, -0.0001], "crs": "EPSG:4326"}""");
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal().AddMosaicIndexing();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IMosaicIndexer>().BuildAsync(tile + ".npy", new MosaicIndexOptions { ViewportId = "t", OutputRoot = dir.File("out"), SamplingFactor = 1, IndexFactory = "Flat" });

        Assert.Equal(RasterDataType.Int8, result.Metadata.SourceDataType);
        Assert.Equal(28, result.SampledPixels);
    }

    [Fact]
    public void The_geotessera_factory_passes_over_files_that_are_not_npy_tiles()
    {
        Assert.Throws<NotSupportedException>(() => new GeoTesseraTileSourceFactory().Open("/tmp/mosaic.tif"));
    }
}
