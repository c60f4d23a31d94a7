using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Server.Tests;

/// <summary>The server on a UTM viewport: WGS84 latitude/longitude in queries, bounds and GeoJSON.</summary>
public sealed class ServerCoordinatesTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_utm_viewport_reports_wgs84_bounds_beside_its_native_ones()
    {
        using var client = server.CreateClient();

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/viewports/utm"));

        var bounds = json.RootElement.GetProperty("bounds");
        Assert.InRange(bounds.GetProperty("north").GetDouble(), 52.09, 52.11);
        Assert.InRange(bounds.GetProperty("west").GetDouble(), 0.09, 0.11);
        Assert.Equal(301380, json.RootElement.GetProperty("native_bounds").GetProperty("min_x").GetDouble());
        Assert.Equal("EPSG:32631", json.RootElement.GetProperty("crs").GetString());
    }

    [Fact]
    public async Task A_lat_lon_search_on_a_utm_viewport_finds_the_pixel_and_answers_in_wgs84()
    {
        using var client = server.CreateClient();
        using var toLatLon = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.FromEpsg(32631), RasterSpatialReference.Wgs84);
        var (x, y) = ServerFixture.UtmTransform.PixelCenterToWorld(17, 23);
        var (lon, lat) = toLatLon.Transform(x, y);

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "utm", lat, lon, k = 2, metric = "l2", strategy = "exact_scan" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var query = json.RootElement.GetProperty("query");
        Assert.Equal((17, 23), (query.GetProperty("row").GetInt32(), query.GetProperty("col").GetInt32()));
        var first = json.RootElement.GetProperty("results")[0];
        Assert.Equal(lat, first.GetProperty("lat").GetDouble(), 1e-9);
        Assert.Equal(lon, first.GetProperty("lon").GetDouble(), 1e-9);
        Assert.Equal(x, first.GetProperty("x").GetDouble());

        var geo = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "utm", lat, lon, k = 2, metric = "l2", strategy = "exact_scan", format = "geojson" });
        using var geoJson = JsonDocument.Parse(await geo.Content.ReadAsStringAsync());
        var point = geoJson.RootElement.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(lon, point[0].GetDouble(), 1e-9);
        Assert.Equal(lat, point[1].GetDouble(), 1e-9);
    }
}
