using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tessera.Indexing.Testing;

namespace Tessera.Server.Tests;

public sealed class ServerApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_pixel_threshold_search_returns_one_json_object_with_every_match()
    {
        using var client = server.CreateClient();

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", row = 20, col = 30, threshold = 0.99, limit = 5000 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("pixel", root.GetProperty("query").GetProperty("kind").GetString());
        Assert.Equal("cosine", root.GetProperty("metric").GetString());
        Assert.Equal("exact_scan", root.GetProperty("strategy").GetString());
        var results = root.GetProperty("results");
        Assert.Equal(root.GetProperty("total").GetInt64(), results.GetArrayLength());
        Assert.InRange(results.GetArrayLength(), 2, (Width * Height) - 100);
        var first = results[0];
        foreach (var key in new[] { "pixel_index", "row", "col", "lat", "lon", "score" })
        {
            Assert.True(first.TryGetProperty(key, out _), key);
        }

        Assert.Equal((20 * Width) + 30, first.GetProperty("pixel_index").GetInt64());
        Assert.Equal(ViewportFixtures.OriginLat - (20.5 * ViewportFixtures.Step), first.GetProperty("lat").GetDouble(), 9);
    }

    private const int Width = ServerFixture.Width;
    private const int Height = ServerFixture.Height;

    [Fact]
    public async Task A_lat_lon_top_k_search_goes_through_faiss_and_reports_the_query_pixel()
    {
        using var client = server.CreateClient();
        var lat = ViewportFixtures.OriginLat - (10.2 * ViewportFixtures.Step);
        var lon = ViewportFixtures.OriginLon + (14.7 * ViewportFixtures.Step);

        var root = await PostJson(client, new { viewport_id = "demo", lat, lon, k = 5, nprobe = 8 });

        Assert.Equal("faiss_top_k", root.GetProperty("strategy").GetString());
        Assert.Equal(10, root.GetProperty("query").GetProperty("row").GetInt32());
        Assert.Equal(14, root.GetProperty("query").GetProperty("col").GetInt32());
        Assert.Equal(5, root.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task A_batch_answers_each_query_in_order()
    {
        using var client = server.CreateClient();

        var root = await PostJson(client, new { viewport_id = "demo", queries = new object[] { new { row = 1, col = 1 }, new { row = 40, col = 50 } }, top_percent = 2 });

        var searches = root.GetProperty("searches");
        Assert.Equal(2, searches.GetArrayLength());
        Assert.Equal(1, searches[0].GetProperty("query").GetProperty("row").GetInt32());
        Assert.Equal(40, searches[1].GetProperty("query").GetProperty("row").GetInt32());
        Assert.Equal("top_percent", searches[1].GetProperty("mode").GetString());
        Assert.True(searches[1].GetProperty("distribution").GetProperty("p50").GetDouble() < 1);
    }

    [Fact]
    public async Task GeoJson_and_csv_formats_carry_the_matches()
    {
        using var client = server.CreateClient();

        var geo = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", row = 20, col = 20, k = 3, format = "geojson", geometry = "square" });
        var csv = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", row = 20, col = 20, k = 3, format = "csv" });

        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await geo.Content.ReadAsStringAsync());
        var feature = json.RootElement.GetProperty("features")[0];
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(5, feature.GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength());
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rank,pixel_index,row,col,lat,lon,score,x,y", lines[0]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task An_unknown_viewport_is_404_with_problem_details()
    {
        using var client = server.CreateClient();

        var search = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "nowhere", row = 1, col = 1 });
        var status = await client.GetAsync("/api/viewports/nowhere/status");
        var heat = await client.GetAsync("/api/viewports/nowhere/similarity.png?row=1&col=1");

        foreach (var response in new[] { search, status, heat })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }
    }

    [Theory]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,", "body")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"kay\":3}", "body")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"k\":0}", "k")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"k\":100000}", "k")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"threshold\":1.5}", "threshold")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"metric\":\"l2\",\"threshold\":-1}", "threshold")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"threshold\":0.5,\"limit\":0}", "limit")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"top_percent\":0}", "top_percent")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1}", "row")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":999,\"col\":1}", "row")]
    [InlineData("{\"viewport_id\":\"demo\",\"lat\":0,\"lon\":0}", "lat")]
    [InlineData("{\"viewport_id\":\"demo\",\"vector\":[1,2,3]}", "vector")]
    [InlineData("{\"viewport_id\":\"../demo\",\"row\":1,\"col\":1}", "viewport_id")]
    [InlineData("{\"viewport_id\":\"/etc\",\"row\":1,\"col\":1}", "viewport_id")]
    [InlineData("{\"row\":1,\"col\":1}", "viewport_id")]
    [InlineData("{\"viewport_id\":\"demo\",\"row\":1,\"col\":1,\"metric\":\"manhattan\"}", "metric")]
    public async Task A_bad_search_request_is_400_naming_the_field(string body, string field)
    {
        using var client = server.CreateClient();

        var response = await client.PostAsync("/api/faiss/search", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("escape.tif")]
    [InlineData("")]
    public async Task A_mosaic_path_outside_the_mosaics_root_is_refused(string path)
    {
        using var client = server.CreateClient();

        var response = await client.PostAsJsonAsync("/api/viewports/escapee/process", new { mosaic_path = path });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mosaic_path", await response.Content.ReadAsStringAsync());
        Assert.False(Directory.Exists(Path.Combine(server.IndicesRoot, "escapee")));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData(".hidden")]
    [InlineData("has%20space")]
    public async Task An_invalid_viewport_id_in_a_route_is_400(string id)
    {
        using var client = server.CreateClient();

        var process = await client.PostAsJsonAsync($"/api/viewports/{id}/process", new { mosaic_path = "fresh.tif" });
        var status = await client.GetAsync($"/api/viewports/{id}/status");
        var heat = await client.GetAsync($"/api/viewports/{id}/similarity.png?row=1&col=1");

        Assert.Equal(HttpStatusCode.BadRequest, process.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, heat.StatusCode);
    }

    [Fact]
    public async Task A_malformed_process_body_is_400()
    {
        using var client = server.CreateClient();

        var response = await client.PostAsync("/api/viewports/x1/process", new StringContent("[1,2", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Processing_a_mosaic_reports_progress_until_the_viewport_is_ready_and_searchable()
    {
        using var client = server.CreateClient();

        var accepted = await client.PostAsJsonAsync("/api/viewports/fresh1/process", new { mosaic_path = "fresh.tif" });
        var status = await WaitForFinish(client, "fresh1");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("ready", status.GetProperty("stage").GetString());
        Assert.Equal(100, status.GetProperty("percent").GetDouble());
        var index = status.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "index");
        Assert.Equal("completed", index.GetProperty("state").GetString());
        var preview = status.GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "preview");
        Assert.Equal("completed", preview.GetProperty("state").GetString());
        var png = await client.GetAsync("/api/viewports/fresh1/mosaic-preview.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        var search = await PostJson(client, new { viewport_id = "fresh1", row = 5, col = 5, k = 3 });
        Assert.Equal(3, search.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task A_mosaic_that_cannot_be_indexed_fails_the_job_with_stage_failed()
    {
        using var client = server.CreateClient();

        await client.PostAsJsonAsync("/api/viewports/broken1/process", new { mosaic_path = "not-a-raster.tif" });
        var status = await WaitForFinish(client, "broken1");

        Assert.Equal("failed", status.GetProperty("stage").GetString());
        Assert.Equal(JsonValueKind.String, status.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task Cancelling_without_a_job_is_404()
    {
        using var client = server.CreateClient();

        var response = await client.DeleteAsync("/api/viewports/demo/process");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_status_of_a_viewport_built_earlier_is_ready()
    {
        using var client = server.CreateClient();

        var status = JsonDocument.Parse(await client.GetStringAsync("/api/viewports/demo/status")).RootElement;

        Assert.Equal("ready", status.GetProperty("stage").GetString());
    }

    [Theory]
    [InlineData("/api/viewports/demo/similarity.png?row=10&col=10")]
    [InlineData("/api/viewports/demo/similarity.png?row=10&col=10&metric=l2&size=32")]
    [InlineData("/api/viewports/demo/preview.png")]
    [InlineData("/api/viewports/demo/preview.png?mode=pca&size=64")]
    public async Task Images_are_served_as_png(string url)
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [Theory]
    [InlineData("/api/viewports/demo/similarity.png?row=10&col=10&size=5", "size")]
    [InlineData("/api/viewports/demo/similarity.png?row=10&col=10&size=99999", "size")]
    [InlineData("/api/viewports/demo/similarity.png?row=ten&col=10", "row")]
    [InlineData("/api/viewports/demo/similarity.png", "query")]
    [InlineData("/api/viewports/demo/similarity.png?row=500&col=10", "row")]
    [InlineData("/api/viewports/demo/preview.png?mode=infrared", "mode")]
    public async Task Bad_image_parameters_are_400(string url, string field)
    {
        using var client = server.CreateClient();

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_and_the_viewport_list_are_served()
    {
        using var client = server.CreateClient();

        var page = await client.GetStringAsync("/");
        var list = JsonDocument.Parse(await client.GetStringAsync("/api/viewports")).RootElement;
        var info = JsonDocument.Parse(await client.GetStringAsync("/api/viewports/demo")).RootElement;

        Assert.Contains("id=\"overlay\"", page);
        Assert.Contains("demo", list.GetProperty("viewports").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Width, info.GetProperty("width").GetInt32());
        Assert.Equal(Height, info.GetProperty("height").GetInt32());
    }

    private static async Task<JsonElement> PostJson(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/faiss/search", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> WaitForFinish(HttpClient client, string id)
    {
        var percents = new List<double>();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = JsonDocument.Parse(await client.GetStringAsync($"/api/viewports/{id}/status")).RootElement;
            percents.Add(status.GetProperty("percent").GetDouble());
            if (status.GetProperty("finished").GetBoolean())
            {
                Assert.True(percents.Zip(percents.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", percents));
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"viewport {id} did not finish");
    }
}
