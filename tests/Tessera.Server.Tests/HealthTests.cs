using Microsoft.AspNetCore.Mvc.Testing;

namespace Tessera.Server.Tests;

public sealed class HealthTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Health_endpoint_answers_ok()
    {
        using var client = factory.CreateClient();
        var body = await client.GetStringAsync("/healthz");
        Assert.Contains("\"ok\"", body);
    }
}
