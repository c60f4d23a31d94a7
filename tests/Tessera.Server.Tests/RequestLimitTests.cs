using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Tessera.Server.Tests;

/// <summary>One request's work is bounded: results and bytes per request, and query vectors that cannot be scored.</summary>
public sealed class RequestLimitTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_small_batch_asking_for_millions_of_results_is_400_before_any_search()
    {
        using var client = server.CreateClient();
        var queries = Enumerable.Range(0, 32).Select(i => new { row = i % 20, col = i % 30 }).ToArray();

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", queries, metric = "l2", threshold = 1e30, limit = 1_000_000 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var message = problem.GetProperty("errors").GetProperty("limit")[0].GetString()!;
        Assert.Contains("32,000,000 results (32 queries)", message, StringComparison.Ordinal);
        Assert.Contains("Tessera:MaxResultsPerRequest", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_within_the_caps_is_answered_in_full()
    {
        using var client = server.CreateClient();
        var queries = Enumerable.Range(0, 4).Select(i => new { row = 20 + i, col = 30 + i }).ToArray();

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", queries, metric = "l2", threshold = 1e30, limit = 25_000 });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var searches = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("searches");
        Assert.Equal(4, searches.GetArrayLength());
        Assert.All(searches.EnumerateArray(), s =>
        {
            Assert.InRange(s.GetProperty("total").GetInt64(), 1000, ServerFixture.Width * ServerFixture.Height);
            Assert.Equal(s.GetProperty("total").GetInt64(), s.GetProperty("results").GetArrayLength());
        });
    }

    [Fact]
    public async Task An_answer_estimated_over_the_response_byte_cap_is_400()
    {
        using var small = server.WithWebHostBuilder(b => b.UseSetting("Tessera:MaxResponseBytes", "65536"));
        using var client = small.CreateClient();

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", row = 3, col = 3, threshold = 0.5, limit = 1000, format = "geojson" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("limit")[0].GetString()!;
        Assert.Contains("Tessera:MaxResponseBytes", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0f, "cosine")]
    [InlineData(3e38f, "cosine")]
    [InlineData(3e38f, "l2")]
    public async Task A_query_vector_that_cannot_be_scored_is_400_not_500(float value, string metric)
    {
        using var client = server.CreateClient();
        var vector = Enumerable.Repeat(value, 16).ToArray();

        var response = await client.PostAsJsonAsync("/api/faiss/search", new { viewport_id = "demo", vector, metric, k = 5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty("vector", out _), problem.ToString());
    }
}
