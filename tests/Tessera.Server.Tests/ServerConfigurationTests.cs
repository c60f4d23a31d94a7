using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Tessera.Server.Tests;

public sealed class ServerConfigurationTests
{
    [Fact]
    public void An_index_setting_left_at_its_old_place_under_Tessera_Pipeline_stops_start_up_naming_its_new_place()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Tessera:Pipeline:SamplingFactor", "2"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Tessera:Pipeline:SamplingFactor moved to Tessera:Pipeline:Index:SamplingFactor", error.ToString());
    }

    [Fact]
    public void A_bad_index_setting_stops_start_up_naming_the_setting()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("Tessera:Pipeline:Index:SamplingFactor", "0"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("(Index:SamplingFactor)", error.ToString());
    }

    [Theory]
    [InlineData("Tessera:MaxResultsPerRequest", "0")]
    [InlineData("Tessera:MaxResponseBytes", "100")]
    public void A_request_limit_outside_its_range_stops_start_up_naming_the_setting(string setting, string value)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(setting, value));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(setting + " must be between", error.ToString());
    }
}
