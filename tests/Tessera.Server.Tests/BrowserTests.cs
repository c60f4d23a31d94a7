using Microsoft.Playwright;

namespace Tessera.Server.Tests;

/// <summary>The map page in headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright) against the app on 127.0.0.1.</summary>
public sealed class BrowserTests(KestrelServerFixture server) : IClassFixture<KestrelServerFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task Clicking_a_pixel_of_the_preview_draws_its_matches_over_it()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync(server.BaseUrl);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        await page.WaitForFunctionAsync("() => document.getElementById('preview').naturalWidth > 0");
        Assert.Equal("demo", await page.InputValueAsync("#viewport-select"));
        var box = (await page.Locator("#overlay").BoundingBoxAsync())!;
        await page.Locator("#overlay").ClickAsync(new LocatorClickOptions { Position = new Position { X = box.Width * 0.5f, Y = box.Height * 0.4f } });
        await page.WaitForFunctionAsync("() => document.getElementById('match-count').textContent.includes('matching pixel')");

        var drawn = int.Parse(await page.GetAttributeAsync("#overlay", "data-matches") ?? "0");
        var painted = await page.EvaluateAsync<int>(
            @"() => { const c = document.getElementById('overlay'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                      let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] > 200 && d[i + 1] < 100) n++; return n; }");
        Assert.True(drawn > 0, "no matches were drawn");
        Assert.True(painted > 0, "the overlay shows no match squares");
        Assert.Contains("exact_scan", await page.TextContentAsync("#match-count"));
    }

    [Fact]
    public async Task Processing_from_the_page_shows_progress_until_ready()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl);
        await page.WaitForSelectorAsync("body[data-ready=true]");

        await page.FillAsync("#process-id", "from_page");
        await page.FillAsync("#process-mosaic", "fresh.tif");
        await page.ClickAsync("#process-form button");
        await page.WaitForFunctionAsync("() => document.getElementById('status-text').textContent.startsWith('ready')", null, new PageWaitForFunctionOptions { Timeout = 120_000 });

        Assert.Contains("100%", await page.TextContentAsync("#status-text"));
        Assert.Equal("100%", await page.EvaluateAsync<string>("() => document.getElementById('progress-bar').style.width"));
        Assert.Contains("index: completed", await page.TextContentAsync("#feature-list"));
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/setup.sh installs Debian's chromium.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
