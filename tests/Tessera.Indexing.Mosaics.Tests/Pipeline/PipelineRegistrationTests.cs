using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics.Pipeline;

namespace Tessera.Indexing.Mosaics.Tests.Pipeline;

public sealed class PipelineRegistrationTests
{
    [Fact]
    public void AddViewportPipeline_registers_the_index_step_and_the_hosted_service_but_keeps_an_apps_downloader()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IViewportDownloader, AppDownloader>();
        services.AddTesseraIndexing().AddGdal().AddViewportPipeline(o => o.IndicesRoot = "/tmp/tessera-indices");
        services.AddTesseraIndexing().AddViewportPipeline(o => o.IndicesRoot = "/tmp/tessera-indices");
        using var provider = services.BuildServiceProvider();

        Assert.IsType<AppDownloader>(provider.GetRequiredService<IViewportDownloader>());
        Assert.Single(provider.GetServices<IViewportPostProcessor>().OfType<MosaicIndexPostProcessor>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<ViewportProcessingService>());
        Assert.Same(provider.GetRequiredService<ViewportJobQueue>(), provider.GetRequiredService<IViewportJobQueue>());
    }

    [Fact]
    public void An_empty_indices_root_fails_validation_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddViewportPipeline();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ViewportPipelineOptions>>().Value);

        Assert.Contains("IndicesRoot", error.Message);
    }

    private sealed class AppDownloader : IViewportDownloader
    {
        public Task<ViewportDownloadResult> DownloadAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken) =>
            Task.FromResult(new ViewportDownloadResult(context.Job.MosaicPath, Cached: true));
    }
}
