using System.Globalization;
using System.Text.Json;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Mosaics;

/// <summary>
/// A GeoTessera tile in GeoTessera's own layout, indexed and searched through the CLI: the landmask's
/// UTM georeferencing, and WGS84 latitude/longitude in, and in every output.
/// </summary>
public sealed class GeoTesseraCliTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-cli-geotessera");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_layout_tile_is_searched_by_its_pixels_latitude_and_longitude_with_wgs84_in_every_format()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 20, 24, 16);
        var out_ = _temp.File("out");
        var build = TesseraCli.Run(["index-mosaic", tile.NpyPath, "--viewport", "cambridge", "--out", out_, "--factor", "1", "--index", "Flat", "--json"]);
        Assert.True(build.ExitCode == 0, build.StandardError);
        var viewport = Path.Combine(out_, "cambridge");
        using (var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(viewport, "metadata.json"))))
        {
            Assert.Equal("EPSG:32631", metadata.RootElement.GetProperty("crs").GetString());
            Assert.Equal(tile.GeoTransform, metadata.RootElement.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        }

        var pixel = tile.Centres[1];
        string[] query = ["search", "--index-dir", viewport, "--lat", InvariantText.Of(pixel.Latitude), "--lon", InvariantText.Of(pixel.Longitude), "--k", "3", "--metric", "l2", "--strategy", "exact_scan"];

        var json = TesseraCli.Run(query);
        Assert.True(json.ExitCode == 0, json.StandardError);
        using (var document = JsonDocument.Parse(json.StandardOutput))
        {
            var q = document.RootElement.GetProperty("query");
            Assert.Equal((pixel.Row, pixel.Col), (q.GetProperty("row").GetInt32(), q.GetProperty("col").GetInt32()));
            Assert.Equal(pixel.Latitude, q.GetProperty("lat").GetDouble(), 1e-9);
            Assert.Equal(pixel.Longitude, q.GetProperty("lon").GetDouble(), 1e-9);
            var first = document.RootElement.GetProperty("results")[0];
            Assert.Equal((long)(pixel.Row * 24) + pixel.Col, first.GetProperty("pixel_index").GetInt64());
            Assert.Equal(pixel.Latitude, first.GetProperty("lat").GetDouble(), 1e-9);
            Assert.InRange(first.GetProperty("x").GetDouble(), 300000, 310000); // UTM easting beside it
        }

        var csv = TesseraCli.Run([.. query, "--format", "csv"]);
        Assert.True(csv.ExitCode == 0, csv.StandardError);
        var line = csv.StandardOutput.Split('\n')[1].Split(',');
        Assert.Equal(pixel.Latitude, double.Parse(line[4], CultureInfo.InvariantCulture), 1e-9);
        Assert.Equal(pixel.Longitude, double.Parse(line[5], CultureInfo.InvariantCulture), 1e-9);

        var geoJson = TesseraCli.Run([.. query, "--format", "geojson"]);
        Assert.True(geoJson.ExitCode == 0, geoJson.StandardError);
        using (var document = JsonDocument.Parse(geoJson.StandardOutput))
        {
            var point = document.RootElement.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
            Assert.Equal(pixel.Longitude, point[0].GetDouble(), 1e-9);
            Assert.Equal(pixel.Latitude, point[1].GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void An_explicit_landmask_and_water_masking_reach_the_build()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.File("tiles"), 0.15, 52.05, 12, 16, 8, landmask: "none");
        var masks = GeoTesseraFixtures.WriteTile(_temp.File("masks"), 0.15, 52.05, 12, 16, 8, landmask: "water", shiftX: 50);
        var landmask = Path.Combine(_temp.File("masks"), "global_0.1_degree_tiff_all", "grid_0.15_52.05.tiff");

        var build = TesseraCli.Run(["index-mosaic", tile.NpyPath, "--viewport", "v", "--out", _temp.File("out"), "--factor", "1", "--index", "Flat", "--landmask", landmask, "--mask-water", "--json"]);

        Assert.True(build.ExitCode == 0, build.StandardError);
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp.File("out"), "v", "metadata.json")));
        Assert.Equal(masks.GeoTransform, metadata.RootElement.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Equal(masks.WaterPixels, metadata.RootElement.GetProperty("nodata_pixels").GetInt64());
    }

    [Fact]
    public void A_missing_landmask_exits_2_naming_it()
    {
        var tile = GeoTesseraFixtures.WriteTile(_temp.Path, 0.15, 52.05, 6, 5, 4, landmask: "none");
        var build = TesseraCli.Run(["index-mosaic", tile.NpyPath, "--viewport", "v", "--out", _temp.File("out"), "--landmask", _temp.File("absent.tiff")]);
        Assert.Equal(2, build.ExitCode);
        Assert.Contains("absent.tiff", build.StandardError, StringComparison.Ordinal);
    }
}
