using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Tessera.Server.Tests;

public sealed class ServerConfigurationTests
{
    [Fact]
    public void An_index_setting_left_at_its_old_place_under_Tessera_Pipeline_stops_start_up_naming_its_new_place()
    {
        var error = StartUpError("Tessera:Pipeline:SamplingFactor", "2");

        Assert.Contains("Tessera:Pipeline:SamplingFactor moved to Tessera:Pipeline:Index:SamplingFactor", error.ToString());
    }

    [Fact]
    public void A_bad_index_setting_stops_start_up_naming_the_setting()
    {
        var error = StartUpError("Tessera:Pipeline:Index:SamplingFactor", "0");

        Assert.Contains("(Index:SamplingFactor)", error.ToString());
    }

    [Theory]
    [InlineData("Tessera:MaxResultsPerRequest", "0")]
    [InlineData("Tessera:MaxResponseBytes", "100")]
    public void A_request_limit_outside_its_range_stops_start_up_naming_the_setting(string setting, string value)
    {
        var error = StartUpError(setting, value);

        Assert.Contains(setting + " must be between", error.ToString());
    }

    /// <summary>
    /// Starts the server with one setting and returns the exception that stops it. When the app's entry point
    /// fails while starting, WebApplicationFactory's deferred host can lose the race to its own disposal and throw
    /// <see cref="ObjectDisposedException"/> instead of the app's error (seen under load); that attempt says nothing
    /// about the app, so it is tried again.
    /// </summary>
    private static Exception StartUpError(string setting, string value)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(setting, value));
            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            if (error is not ObjectDisposedException || attempt == 5)
            {
                return error;
            }
        }
    }
}
