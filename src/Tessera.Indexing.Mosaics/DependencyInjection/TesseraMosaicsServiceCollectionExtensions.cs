using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Mosaics' services on the Tessera builder.</summary>
public static class TesseraMosaicsServiceCollectionExtensions
{
    /// <summary>
    /// Adds mosaic indexing: <see cref="IMosaicIndexer"/> as <see cref="MosaicIndexer"/>, which opens
    /// mosaics with the registered <c>IRasterSourceFactory</c>s (GeoTessera <c>.npy</c> tiles here;
    /// GeoTIFFs and any GDAL raster with <c>.AddGdal()</c>) and builds indexes with the registered
    /// <c>IVectorIndexBuilder</c>. Added with <c>TryAdd</c>, so an application can replace it.
    /// </summary>
    /// <param name="builder">The Tessera builder from <c>AddTesseraIndexing()</c>.</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddMosaicIndexing(this ITesseraIndexingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IMosaicIndexer, MosaicIndexer>();
        return builder;
    }

    /// <summary>
    /// Adds the viewport pipeline: a hosted service working through a bounded queue of viewport
    /// jobs (download, then the index and every other registered <see cref="IViewportPostProcessor"/>
    /// in parallel, then validation), mosaic indexing (<see cref="AddMosaicIndexing"/>), an in-memory status store, the "mosaic already on disk"
    /// downloader and the index post-processor. Defaults are added with <c>TryAdd</c>; add more
    /// post-processors with <c>TryAddEnumerable</c>.
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="configure">Sets <see cref="ViewportPipelineOptions"/> (at least the indices root).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddViewportPipeline(this ITesseraIndexingBuilder builder, Action<ViewportPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMosaicIndexing();
        var services = builder.Services;
        var options = services.AddOptions<ViewportPipelineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ViewportPipelineOptions>, ViewportPipelineOptionsValidator>());
        services.TryAddSingleton<IViewportStatusStore, InMemoryViewportStatusStore>();
        services.TryAddSingleton<ViewportJobQueue>();
        services.TryAddSingleton<IViewportJobQueue>(sp => sp.GetRequiredService<ViewportJobQueue>());
        services.TryAddSingleton<IViewportDownloader, LocalMosaicDownloader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IViewportPostProcessor, MosaicIndexPostProcessor>());
        services.TryAddSingleton<ViewportPipeline>();
        services.AddHostedService<ViewportProcessingService>();
        return builder;
    }
}
