using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Pipeline;

namespace Microsoft.Extensions.DependencyInjection;

public static partial class TesseraServiceCollectionExtensions
{
    /// <summary>
    /// Adds the viewport pipeline: a hosted service working through a bounded queue of viewport
    /// jobs (download, then the index and every other registered <see cref="IViewportPostProcessor"/>
    /// in parallel, then validation), an in-memory status store, the "mosaic already on disk"
    /// downloader and the index post-processor. Defaults are added with <c>TryAdd</c>; add more
    /// post-processors with <c>TryAddEnumerable</c>.
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="configure">Sets <see cref="ViewportPipelineOptions"/> (at least the indices root).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddViewportPipeline(this ITesseraIndexingBuilder builder, Action<ViewportPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
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
