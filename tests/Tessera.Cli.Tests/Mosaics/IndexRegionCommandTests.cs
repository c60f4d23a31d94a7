using System.Text.Json;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Mosaics;

/// <summary>
/// <c>tessera index-region</c>: adjacent GeoTessera tiles, in one UTM zone and across a zone edge,
/// merged into one EPSG:4326 viewport, searched by latitude/longitude across the tile border.
/// </summary>
public sealed class IndexRegionCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-cli-region");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Two_adjacent_tiles_in_one_zone_become_one_viewport_searched_across_their_border()
    {
        var west = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 0, 0, 8, blocks: true);
        var east = GeoTesseraFixtures.WriteTile(_temp.Path, 0.25, 52.05, 0, 0, 8, blocks: true);
        Assert.Equal(west.Epsg, east.Epsg);

        var viewport = Build(["--geotessera", _temp.Path, "--year", "2024", "--bbox", "0.1,52.0,0.3,52.1"]);

        AssertMerged(viewport, 0.1, 0.3, 52.0, 52.1);
        AssertCrossBorderSearch(viewport, queryLat: 52.07, queryLon: 0.13, borderLon: 0.2);
    }

    [Fact]
    public void Two_adjacent_tiles_in_different_zones_become_one_viewport_searched_across_the_zone_edge()
    {
        var west = GeoTesseraFixtures.WriteTile(_temp.Path, 5.95, 45.05, 0, 0, 8, blocks: true);
        var east = GeoTesseraFixtures.WriteTile(_temp.Path, 6.05, 45.05, 0, 0, 8, blocks: true);
        Assert.Equal(32631, west.Epsg);
        Assert.Equal(32632, east.Epsg);

        var viewport = Build(["--tiles", west.NpyPath, east.NpyPath, "--bbox", "5.9,45.0,6.1,45.1"]);

        AssertMerged(viewport, 5.9, 6.1, 45.0, 45.1);
        AssertCrossBorderSearch(viewport, queryLat: 45.06, queryLon: 6.07, borderLon: 6.0);
    }

    [Fact]
    public void A_box_without_tiles_exits_2_naming_where_it_looked()
    {
        var run = TesseraCli.Run(["index-region", "--geotessera", _temp.Path, "--bbox", "10.0,10.0,10.1,10.1", "--viewport", "r", "--out", _temp.File("out")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("grid_10.05_10.05", run.StandardError, StringComparison.Ordinal);
    }

    private string Build(string[] source)
    {
        var out_ = _temp.File("out");
        var run = TesseraCli.Run([
            "index-region", .. source, "--resolution", "0.0005", "--viewport", "region", "--out", out_,
            "--factor", "1", "--index", "Flat", "--all-embeddings", "float32", "--json"]);
        Assert.True(run.ExitCode == 0, run.StandardError);
        return Path.Combine(out_, "region");
    }

    private static void AssertMerged(string viewport, double west, double east, double south, double north)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(viewport, "metadata.json")));
        var root = metadata.RootElement;
        Assert.Equal("EPSG:4326", root.GetProperty("crs").GetString());
        var gt = root.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(west, gt[0], 1e-9);
        Assert.Equal(north, gt[3], 1e-9);
        Assert.Equal((int)Math.Round((east - west) / 0.0005), root.GetProperty("mosaic_width").GetInt32());
        Assert.Equal((int)Math.Round((north - south) / 0.0005), root.GetProperty("mosaic_height").GetInt32());
    }

    private static void AssertCrossBorderSearch(string viewport, double queryLat, double queryLon, double borderLon)
    {
        var run = TesseraCli.Run([
            "search", "--index-dir", viewport, "--lat", InvariantText.Of(queryLat), "--lon", InvariantText.Of(queryLon),
            "--threshold", "0.999", "--limit", "1000000", "--strategy", "exact_scan"]);
        Assert.True(run.ExitCode == 0, run.StandardError);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var query = json.RootElement.GetProperty("query");
        Assert.Equal(queryLat, query.GetProperty("lat").GetDouble(), 0.0005);
        Assert.Equal(queryLon, query.GetProperty("lon").GetDouble(), 0.0005);

        // The tiles share their block pattern: pixels like the query's lie on both sides of the border.
        var lons = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("lon").GetDouble()).ToArray();
        Assert.Contains(lons, lon => lon < borderLon);
        Assert.Contains(lons, lon => lon > borderLon);
    }
}
