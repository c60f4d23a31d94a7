using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.GeoTessera;

/// <summary>Tiles in GeoTessera's own layout, georeferenced by their landmasks the way GeoTessera does.</summary>
public sealed class GeoTesseraLayoutTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-geotessera");

    public void Dispose() => _temp.Dispose();

    private static GeoTesseraTileOptions GdalOptions(string? landmask = null, bool maskWater = false) => new()
    {
        Landmask = landmask,
        MaskWater = maskWater,
        LandmaskReader = new GdalRasterSourceFactory(),
        CoordinateTransforms = new GdalCoordinateTransformFactory(),
    };

    [Fact]
    public void A_tile_takes_its_crs_and_geotransform_from_its_landmask_in_the_layout()
    {
        // The landmask's origin is shifted off GeoTessera's rule, so only reading it gives this transform.
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 30, 40, 8, shiftX: 20, shiftY: -30);

        using var source = GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions());

        Assert.Equal(GeoTesseraGeoreferenceSource.Landmask, source.GeoreferenceSource);
        Assert.Equal(GeoTransform.FromArray(tile.GeoTransform), source.GeoTransform);
        Assert.Equal(32631, source.SpatialReference!.EpsgCode);
        Assert.EndsWith("global_0.1_degree_tiff_all/grid_0.15_52.05.tiff", source.LandmaskPath, StringComparison.Ordinal);
        Assert.Contains(source.LandmaskPath!, source.FilePaths);
    }

    [Theory]
    [InlineData(0.15, 52.05)]     // UTM 31N (Cambridge)
    [InlineData(-0.05, 51.45)]    // UTM 30N, just west of Greenwich
    [InlineData(18.45, -33.95)]   // UTM 34S (Cape Town)
    [InlineData(5.95, 45.05)]     // the last cell of zone 31 ...
    [InlineData(6.05, 45.05)]     // ... and the first of zone 32
    [InlineData(77.55, 13.05)]    // UTM 43N (Bengaluru)
    public void Without_a_landmask_the_name_gives_the_georeferencing_of_geotesseras_landmask(double lon, double lat)
    {
        var withMask = GeoTesseraFixtures.WriteTile(_temp.File("with"), lon, lat, 12, 10, 4);
        var withoutMask = GeoTesseraFixtures.WriteTile(_temp.File("without"), lon, lat, 12, 10, 4, landmask: "none");

        using var landmasked = GeoTesseraTileSource.Open(withMask.NpyPath, options: GdalOptions());
        using var derived = GeoTesseraTileSource.Open(withoutMask.NpyPath, options: GdalOptions());

        Assert.Equal(GeoTesseraGeoreferenceSource.Landmask, landmasked.GeoreferenceSource);
        Assert.Equal(GeoTesseraGeoreferenceSource.TileName, derived.GeoreferenceSource);
        Assert.Equal(landmasked.GeoTransform, derived.GeoTransform);
        Assert.Equal(withMask.Epsg, derived.SpatialReference!.EpsgCode);
        Assert.Equal(landmasked.SpatialReference!.EpsgCode, derived.SpatialReference.EpsgCode);
    }

    [Fact]
    public void Tile_names_parse_only_on_geotesseras_centre_grid()
    {
        Assert.True(GeoTesseraTileName.TryParse("/x/grid_0.15_52.05.npy", out var name));
        Assert.Equal((0.15, 52.05, 32631), (name.Longitude, name.Latitude, name.UtmEpsgCode));
        Assert.True(GeoTesseraTileName.TryParse("grid_-50.55_-20.65_scales.npy", out name));
        Assert.Equal(32722, name.UtmEpsgCode);
        Assert.False(GeoTesseraTileName.TryParse("grid_1_2.npy", out _));
        Assert.False(GeoTesseraTileName.TryParse("grid_0.10_52.00.npy", out _));
    }

    [Fact]
    public void An_explicit_landmask_file_or_folder_wins_and_a_missing_one_is_reported()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 12, 10, 4, landmask: "none");
        var other = GeoTesseraFixtures.WriteTile(_temp.File("elsewhere"), 0.15, 52.05, 12, 10, 4, shiftX: 100);
        var folder = Path.Combine(_temp.File("elsewhere"), "global_0.1_degree_tiff_all");

        using (var byFolder = GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions(landmask: folder)))
        {
            Assert.Equal(GeoTransform.FromArray(other.GeoTransform), byFolder.GeoTransform);
        }

        using (var byFile = GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions(landmask: Path.Combine(folder, "grid_0.15_52.05.tiff"))))
        {
            Assert.Equal(GeoTesseraGeoreferenceSource.Landmask, byFile.GeoreferenceSource);
            Assert.Equal(GeoTransform.FromArray(other.GeoTransform), byFile.GeoTransform);
        }

        var missing = Assert.Throws<FileNotFoundException>(() => GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions(landmask: _temp.File("nope.tiff"))));
        Assert.Contains("nope.tiff", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Water_pixels_of_the_landmask_become_no_data_when_asked()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 12, 16, 8, landmask: "water");
        var reference = GeoTesseraFixtures.Reference(tile);

        using var masked = GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions(maskWater: true));
        var values = new float[12 * 16 * 8];
        masked.ReadWindow<float>(0, 0, 16, 12, values);

        Assert.True(masked.MasksWater);
        for (var pixel = 0; pixel < 12 * 16; pixel++)
        {
            var isWater = pixel % 16 < 4;
            var expected = isWater ? new float[8] : reference.AsSpan(pixel * 8, 8).ToArray();
            Assert.Equal(expected, values.AsSpan(pixel * 8, 8).ToArray());
        }

        var result = new MosaicIndexer(new Tessera.Indexing.Faiss.FaissIndexBuilder(), new GeoTesseraTileSourceFactory(GdalOptions(maskWater: true)))
            .Build(tile.NpyPath, new MosaicIndexOptions { ViewportId = "water", OutputRoot = _temp.File("out"), SamplingFactor = 1, IndexFactory = "Flat" });
        Assert.Equal(tile.WaterPixels, result.Metadata.NodataPixels);
        Assert.Equal((12 * 16) - tile.WaterPixels, result.SampledPixels);
    }

    [Fact]
    public void Masking_water_without_a_landmask_is_refused()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 6, 5, 4, landmask: "none");
        var error = Assert.Throws<InvalidDataException>(() => GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions(maskWater: true)));
        Assert.Contains("landmask", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Per_band_scales_dequantise_bit_identically_to_numpy()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 7, 9, 128, perBandScales: true);
        var reference = GeoTesseraFixtures.Reference(tile);

        using var source = GeoTesseraTileSource.Open(tile.NpyPath, options: GdalOptions());
        var values = new float[7 * 9 * 128];
        source.ReadWindow<float>(0, 0, 9, 7, values);

        Assert.True(source.HasPerBandScales);
        Assert.Equal(RasterDataType.Float32, source.DataType);
        Assert.Equal(reference, values);
        Assert.Throws<NotSupportedException>(() => source.ReadScales(0, 0, 1, 1, new float[1]));
    }

    [Fact]
    public void Scales_with_another_band_count_are_refused_with_both_accepted_shapes()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 4, 3, 8, landmask: "none");
        using (var writer = NpyWriter.Create(GeoTesseraTileSource.GetScalesPath(tile.NpyPath), NpyDataType.Float32, [4, 3, 5]))
        {
            writer.Write<float>(new float[4 * 3 * 5]);
            writer.Complete();
        }

        var error = Assert.Throws<InvalidDataException>(() => GeoTesseraTileSource.Open(tile.NpyPath));
        Assert.Contains("(4, 3) or (4, 3, 8)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(4, 3, 5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sidecar_in_rasterio_affine_order_is_refused_showing_the_gdal_order()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 4, 3, 8, landmask: "none");
        File.WriteAllText(GeoTesseraTileSource.GetSidecarPath(tile.NpyPath), """{"geotransform": [10, 0, 301380, 0, -10, 5776130], "crs": "EPSG:32631"}""");

        var error = Assert.Throws<InvalidDataException>(() => GeoTesseraTileSource.Open(tile.NpyPath));

        Assert.Contains("Affine", error.Message, StringComparison.Ordinal);
        Assert.Contains("[301380, 10, 0, 5776130, 0, -10]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_layout_tile_indexes_and_searches_by_latitude_and_longitude_in_wgs84(bool perBandScales)
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 30, 40, perBandScales ? 128 : 16, perBandScales: perBandScales);
        var reference = GeoTesseraFixtures.Reference(tile);
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal().AddMosaicIndexing();
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<IMosaicIndexer>().BuildAsync(
            tile.NpyPath,
            new MosaicIndexOptions { ViewportId = "cambridge", OutputRoot = _temp.File("out"), SamplingFactor = 1, IndexFactory = "Flat" });

        // metadata.json: the landmask's geotransform and CRS.
        using (var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.Directory, "metadata.json"))))
        {
            Assert.Equal(tile.GeoTransform, metadata.RootElement.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray());
            Assert.Equal("EPSG:32631", metadata.RootElement.GetProperty("crs").GetString());
        }

        // all_embeddings.npy: NumPy's dequantised values, bit for bit.
        using (var npy = NpyMemoryMappedArray.Open(result.AllEmbeddingsPath))
        {
            Assert.Equal(reference, npy.AsSpan<float>().ToArray());
        }

        using var searcher = ViewportSearcher.Open(result.Directory, new ViewportSearcherOptions { CoordinateTransforms = provider.GetRequiredService<ICoordinateTransformFactory>() });
        Assert.Equal(3, tile.Centres.Length); // the fixture's first, middle and last pixels
        foreach (var pixel in tile.Centres)
        {
            var found = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtLatLon(pixel.Latitude, pixel.Longitude)) { K = 1, Strategy = SearchStrategy.ExactScan, Metric = SimilarityMetric.Euclidean });
            Assert.Equal((pixel.Row, pixel.Col), (found.Query.Row!.Value, found.Query.Col!.Value));
            Assert.Equal((long)(pixel.Row * 40) + pixel.Col, found.Matches[0].PixelIndex);
            Assert.Equal(pixel.Latitude, found.Matches[0].Latitude, 1e-9);
            Assert.Equal(pixel.Longitude, found.Matches[0].Longitude, 1e-9);
        }

        var some = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(10, 10)) { Threshold = -1f, Limit = 30 * 40, Strategy = SearchStrategy.ExactScan });
        Assert.Equal(30 * 40, some.Matches.Count);
        using var geoJson = JsonDocument.Parse(SearchResultGeoJson.ToGeoJson(some, searcher.Georeference, SearchGeometry.PixelSquare));
        using var toUtm = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32631));
        var (x0, y0) = (tile.GeoTransform[0], tile.GeoTransform[3]);
        Assert.Equal(30 * 40, geoJson.RootElement.GetProperty("features").GetArrayLength());
        foreach (var feature in geoJson.RootElement.GetProperty("features").EnumerateArray())
        {
            var row = feature.GetProperty("properties").GetProperty("row").GetInt32();
            var col = feature.GetProperty("properties").GetProperty("col").GetInt32();
            var corners = feature.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().ToArray();
            Assert.Equal(5, corners.Length);
            foreach (var corner in corners)
            {
                // Longitude first: back in UTM (by an independent transform) each corner is a corner of its pixel, inside the tile.
                Assert.InRange(corner[0].GetDouble(), 0.09, 0.21);
                Assert.InRange(corner[1].GetDouble(), 51.99, 52.11);
                var (x, y) = toUtm.Transform(corner[0].GetDouble(), corner[1].GetDouble());
                var c = (x - x0) / 10;
                var r = (y0 - y) / 10;
                Assert.True(Math.Abs(c - Math.Round(c)) < 1e-4 && Math.Abs(r - Math.Round(r)) < 1e-4, $"({x}, {y}) is not a pixel corner");
                Assert.InRange(Math.Round(c), col, col + 1);
                Assert.InRange(Math.Round(r), row, row + 1);
            }
        }
    }
}
