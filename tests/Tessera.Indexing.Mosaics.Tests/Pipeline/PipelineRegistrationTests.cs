using Microsoft.Extensions.Configuration;
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

    [Fact]
    public void A_bad_index_setting_fails_pipeline_validation_naming_it_under_Index()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddViewportPipeline(o =>
        {
            o.IndicesRoot = "/tmp/tessera-indices";
            o.Index = o.Index with { SamplingFactor = 0, IndexFactory = " " };
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ViewportPipelineOptions>>().Value);

        Assert.Contains("(Index:SamplingFactor)", error.Message);
        Assert.Contains("(Index:IndexFactory)", error.Message);
        Assert.DoesNotContain("IndicesRoot", error.Message);
    }

    [Fact]
    public void Index_settings_bind_from_the_Index_section_of_the_pipeline_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:IndicesRoot"] = "/tmp/tessera-indices",
            ["Pipeline:Index:IndexFactory"] = "IVF8,Flat",
            ["Pipeline:Index:SamplingFactor"] = "2",
            ["Pipeline:Index:AllEmbeddingsType"] = "UInt8",
        }).Build();
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddViewportPipeline();
        services.AddOptions<ViewportPipelineOptions>().Bind(configuration.GetSection("Pipeline"));
        using var provider = services.BuildServiceProvider();

        var index = provider.GetRequiredService<IOptions<ViewportPipelineOptions>>().Value.Index;

        Assert.Equal(("IVF8,Flat", 2, MosaicEmbeddingsType.UInt8, MosaicIndexOptions.DefaultTrainSize), (index.IndexFactory, index.SamplingFactor, index.AllEmbeddingsType, index.TrainSize));
    }

    [Fact]
    public void AddMosaicPreviews_adds_the_preview_step_once()
    {
        var services = new ServiceCollection();
        var tessera = services.AddTesseraIndexing().AddGdal().AddViewportPipeline(o => o.IndicesRoot = "/tmp/tessera-indices");
        tessera.AddMosaicPreviews(o => o.PreviewsRoot = "/tmp/tessera-previews").AddMosaicPreviews();
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<IViewportPostProcessor>().OfType<MosaicPreviewPostProcessor>());
    }

    [Fact]
    public void Previews_without_a_previews_root_fail_validation_naming_it()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddViewportPipeline(o => o.IndicesRoot = "/tmp/tessera-indices").AddMosaicPreviews();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MosaicPreviewOptions>>().Value);

        Assert.Contains("PreviewsRoot", error.Message);
    }

    private sealed class AppDownloader : IViewportDownloader
    {
        public Task<ViewportDownloadResult> DownloadAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken) =>
            Task.FromResult(new ViewportDownloadResult(context.Job.MosaicPath, Cached: true));
    }
}
