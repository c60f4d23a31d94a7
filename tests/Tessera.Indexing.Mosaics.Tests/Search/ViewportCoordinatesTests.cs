using System.Globalization;
using System.Text.Json;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.Search;

/// <summary>
/// Latitude/longitude on projected viewports (GeoTessera's native UTM): queries and every printed
/// coordinate go through the CRS, checked against an independent GDAL transform of the pixel centres.
/// </summary>
public sealed class ViewportCoordinatesTests : IDisposable
{
    private const int Width = 48;
    private const int Height = 40;

    // GeoTessera's grid_0.15_52.05 lies in UTM 31N; grid_18.45_-33.95 (Cape Town) in UTM 34S.
    private static readonly GeoTransform Utm31N = new(301000, 10, 0, 5776500, 0, -10);
    private static readonly GeoTransform Utm34S = new(262000, 10, 0, 6245000, 0, -10);

    private readonly TempDirectory _temp = new("tessera-coordinates");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(32631, 12, 20)]
    [InlineData(32631, 0, 0)]
    [InlineData(32734, 39, 47)]
    [InlineData(32734, 7, 33)]
    public void A_query_at_a_pixels_latitude_and_longitude_returns_that_pixel(int epsg, int row, int col)
    {
        var transform = epsg == 32631 ? Utm31N : Utm34S;
        using var searcher = Open(Build(epsg, transform));
        var (lat, lon) = IndependentLatLon(epsg, transform, row, col);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtLatLon(lat, lon)) { K = 1, Strategy = SearchStrategy.ExactScan, Metric = SimilarityMetric.Euclidean });

        Assert.Equal(row, result.Query.Row);
        Assert.Equal(col, result.Query.Col);
        Assert.Equal(lat, result.Query.Latitude!.Value, 1e-9);
        Assert.Equal(lon, result.Query.Longitude!.Value, 1e-9);
        var match = Assert.Single(result.Matches);
        Assert.Equal(((long)row * Width) + col, match.PixelIndex);
        Assert.Equal(lat, match.Latitude, 1e-9);
        Assert.Equal(lon, match.Longitude, 1e-9);
        Assert.Equal(transform.PixelCenterToWorld(row, col), (match.X, match.Y));
    }

    [Fact]
    public void Pixel_centre_and_pixel_at_agree_with_an_independent_transform()
    {
        using var searcher = Open(Build(32631, Utm31N));
        var (lat, lon) = searcher.PixelCenter(5, 9);
        var expected = IndependentLatLon(32631, Utm31N, 5, 9);
        Assert.Equal(expected.Lat, lat, 1e-9);
        Assert.Equal(expected.Lon, lon, 1e-9);
        Assert.Equal((5, 9), searcher.PixelAt(lat, lon));
    }

    [Fact]
    public void A_point_outside_a_utm_viewport_names_its_bounds_in_latitude_and_longitude()
    {
        using var searcher = Open(Build(32631, Utm31N));
        var error = Assert.Throws<ViewportSearchException>(() => searcher.PixelAt(52.3, 0.15));
        Assert.Equal(ViewportSearchErrorKind.OutsideMosaic, error.Kind);
        Assert.Contains("lat 52.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("EPSG:32631", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_and_csv_print_wgs84_latitude_and_longitude_beside_utm_x_and_y()
    {
        using var searcher = Open(Build(32631, Utm31N));
        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(12, 20)) { K = 3, Strategy = SearchStrategy.ExactScan });

        using var json = JsonDocument.Parse(SearchResultJson.ToJson(result));
        Assert.Equal(3, json.RootElement.GetProperty("results").GetArrayLength());
        foreach (var item in json.RootElement.GetProperty("results").EnumerateArray())
        {
            var row = item.GetProperty("row").GetInt32();
            var col = item.GetProperty("col").GetInt32();
            var (lat, lon) = IndependentLatLon(32631, Utm31N, row, col);
            Assert.Equal(lat, item.GetProperty("lat").GetDouble(), 1e-9);
            Assert.Equal(lon, item.GetProperty("lon").GetDouble(), 1e-9);
            Assert.Equal(Utm31N.PixelCenterToWorld(row, col).X, item.GetProperty("x").GetDouble());
        }

        Assert.InRange(json.RootElement.GetProperty("query").GetProperty("lat").GetDouble(), 52.0, 52.2);

        var csv = new StringWriter();
        SearchResultCsv.Write(csv, result);
        var first = csv.ToString().Split('\n')[1].Split(',');
        Assert.Equal(result.Matches[0].Latitude, double.Parse(first[4], CultureInfo.InvariantCulture));
        Assert.Equal(result.Matches[0].Longitude, double.Parse(first[5], CultureInfo.InvariantCulture));
        Assert.Equal(result.Matches[0].X, double.Parse(first[7], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(SearchGeometry.Point)]
    [InlineData(SearchGeometry.PixelSquare)]
    public void GeoJson_is_longitude_then_latitude_inside_the_tile(SearchGeometry geometry)
    {
        using var searcher = Open(Build(32631, Utm31N));
        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(12, 20)) { K = 5, Strategy = SearchStrategy.ExactScan });

        using var json = JsonDocument.Parse(SearchResultGeoJson.ToGeoJson(result, searcher.Georeference, geometry));
        Assert.Equal("EPSG:32631", json.RootElement.GetProperty("properties").GetProperty("crs").GetString());
        var (south, north, west, east) = LatLonBox(32631, Utm31N);
        Assert.Equal(5, json.RootElement.GetProperty("features").GetArrayLength());
        foreach (var feature in json.RootElement.GetProperty("features").EnumerateArray())
        {
            var coordinates = feature.GetProperty("geometry").GetProperty("coordinates");
            if (geometry == SearchGeometry.Point)
            {
                Assert.Equal(2, coordinates.GetArrayLength());
            }
            else
            {
                Assert.Equal(1, coordinates.GetArrayLength());
                Assert.Equal(5, coordinates[0].GetArrayLength()); // closed square: 4 corners + the first again
                Assert.Equal(coordinates[0][0].GetRawText(), coordinates[0][4].GetRawText());
            }

            var points = geometry == SearchGeometry.Point ? [coordinates] : coordinates[0].EnumerateArray().ToArray();
            foreach (var point in points)
            {
                Assert.InRange(point[0].GetDouble(), west - 1e-9, east + 1e-9);   // longitude first
                Assert.InRange(point[1].GetDouble(), south - 1e-9, north + 1e-9);
            }

            var properties = feature.GetProperty("properties");
            var world = Utm31N.PixelCenterToWorld(properties.GetProperty("row").GetInt32(), properties.GetProperty("col").GetInt32());
            Assert.Equal(world.X, properties.GetProperty("x").GetDouble());
            Assert.Equal(world.Y, properties.GetProperty("y").GetDouble());
        }
    }

    [Fact]
    public void Without_a_transform_provider_a_utm_viewport_refuses_latitude_and_longitude_instead_of_guessing()
    {
        using var searcher = ViewportSearcher.Open(Build(32631, Utm31N));
        Assert.False(searcher.Georeference.HasLatLon);

        var error = Assert.Throws<ViewportSearchException>(() => searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtLatLon(52.1, 0.12))));
        Assert.Equal(ViewportSearchErrorKind.CoordinatesUnavailable, error.Kind);
        Assert.Contains("EPSG:32631", error.Message, StringComparison.Ordinal);

        // Pixel queries still run; latitude/longitude are null, never UTM metres.
        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(3, 30)) { K = 2, Strategy = SearchStrategy.ExactScan });
        using var json = JsonDocument.Parse(SearchResultJson.ToJson(result));
        var first = json.RootElement.GetProperty("results")[0];
        Assert.Equal(JsonValueKind.Null, first.GetProperty("lat").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("lon").ValueKind);
        Assert.Equal(Utm31N.PixelCenterToWorld(first.GetProperty("row").GetInt32(), first.GetProperty("col").GetInt32()).X, first.GetProperty("x").GetDouble());

        var geoJson = Assert.Throws<ViewportSearchException>(() => SearchResultGeoJson.ToGeoJson(result, searcher.Georeference));
        Assert.Equal(ViewportSearchErrorKind.CoordinatesUnavailable, geoJson.Kind);
    }

    private string Build(int epsg, GeoTransform transform)
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File($"m{epsg}.tif"), Width, Height, 8, geoTransform: transform, epsgCode: epsg);
        return ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), $"utm_{epsg}", factor: 1, indexFactory: "Flat");
    }

    private static ViewportSearcher Open(string directory) =>
        ViewportSearcher.Open(directory, new ViewportSearcherOptions { CoordinateTransforms = new GdalCoordinateTransformFactory() });

    private static (double Lat, double Lon) IndependentLatLon(int epsg, GeoTransform transform, int row, int col)
    {
        using var toLatLon = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.FromEpsg(epsg), RasterSpatialReference.Wgs84);
        var (x, y) = transform.PixelCenterToWorld(row, col);
        var (lon, lat) = toLatLon.Transform(x, y);
        return (lat, lon);
    }

    private static (double South, double North, double West, double East) LatLonBox(int epsg, GeoTransform transform)
    {
        using var toLatLon = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.FromEpsg(epsg), RasterSpatialReference.Wgs84);
        var lats = new List<double>();
        var lons = new List<double>();
        for (var i = 0; i <= 10; i++)
        {
            foreach (var (c, r) in new[] { (i * Width / 10.0, 0.0), (i * Width / 10.0, (double)Height), (0.0, i * Height / 10.0), ((double)Width, i * Height / 10.0) })
            {
                var (x, y) = transform.PixelToWorld(c, r);
                var (lon, lat) = toLatLon.Transform(x, y);
                lats.Add(lat);
                lons.Add(lon);
            }
        }

        return (lats.Min(), lats.Max(), lons.Min(), lons.Max());
    }
}
