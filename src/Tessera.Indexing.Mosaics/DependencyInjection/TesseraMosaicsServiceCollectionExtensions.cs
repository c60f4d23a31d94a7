using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Rasters;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Mosaics' services on the Tessera builder.</summary>
public static class TesseraMosaicsServiceCollectionExtensions
{
    /// <summary>
    /// Adds mosaic indexing: <see cref="IMosaicIndexer"/> as <see cref="MosaicIndexer"/>, which opens
    /// mosaics with the registered <see cref="IRasterSourceFactory"/>s and builds indexes with the
    /// registered <see cref="IVectorIndexBuilder"/>. Registers <see cref="GeoTesseraTileSourceFactory"/>
    /// (GeoTessera <c>.npy</c> tiles) as an <see cref="IRasterSourceFactory"/> keyed
    /// <see cref="GeoTesseraTileSourceFactory.ServiceKey"/>, next to GDAL's from <c>.AddGdal()</c> (GeoTIFFs
    /// and any GDAL raster), and <see cref="MosaicIndexOptionsValidator"/> for bound <see cref="MosaicIndexOptions"/>.
    /// Added with <c>TryAdd</c>, so an application can replace any of them.
    /// </summary>
    /// <remarks>
    /// The indexer (and the <c>preview</c> post-processor) try every unkeyed <see cref="IRasterSourceFactory"/>
    /// in registration order, then every keyed one; the first that reads a file wins. Keyed, the
    /// GeoTessera factory neither stops <c>.AddGdal()</c> (called before or after) from registering
    /// GDAL's nor replaces it where one <see cref="IRasterSourceFactory"/> is asked for.
    /// </remarks>
    /// <param name="builder">The Tessera builder from <c>AddTesseraIndexing()</c>.</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddMosaicIndexing(this ITesseraIndexingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<GeoTesseraTileOptions>();
        services.TryAddKeyedSingleton<IRasterSourceFactory>(GeoTesseraTileSourceFactory.ServiceKey, (sp, _) => CreateGeoTesseraFactory(sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MosaicIndexOptions>, MosaicIndexOptionsValidator>());
        services.TryAddSingleton<IMosaicIndexer>(sp => new MosaicIndexer(
            RasterSourceFactories(sp),
            sp.GetRequiredService<IVectorIndexBuilder>(),
            sp.GetService<ILogger<MosaicIndexer>>()));
        return builder;
    }

    /// <summary>
    /// Adds the viewport pipeline: a hosted service working through a bounded queue of viewport
    /// jobs (download, then the index and every other registered <see cref="IViewportPostProcessor"/>
    /// in parallel, then validation), mosaic indexing (<see cref="AddMosaicIndexing"/>), an in-memory status store, the "mosaic already on disk"
    /// downloader and the index post-processor. Defaults are added with <c>TryAdd</c>; add more
    /// post-processors with <c>TryAddEnumerable</c> (or <see cref="AddMosaicPreviews"/>).
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

    /// <summary>
    /// Adds the <c>preview</c> post-processor (<see cref="MosaicPreviewPostProcessor"/>) to the viewport
    /// pipeline: every processed mosaic gets a PNG preview in <see cref="MosaicPreviewOptions.PreviewsRoot"/>,
    /// made in parallel with its index.
    /// </summary>
    /// <param name="builder">The Tessera builder (with <see cref="AddViewportPipeline"/>).</param>
    /// <param name="configure">Sets <see cref="MosaicPreviewOptions"/> (at least the previews root).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddMosaicPreviews(this ITesseraIndexingBuilder builder, Action<MosaicPreviewOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<MosaicPreviewOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.PreviewsRoot), $"{nameof(MosaicPreviewOptions)}.{nameof(MosaicPreviewOptions.PreviewsRoot)} must name the folder the previews are written to.")
            .Validate(o => o.MaxSize is >= 16 and <= 8192, $"{nameof(MosaicPreviewOptions)}.{nameof(MosaicPreviewOptions.MaxSize)} must be between 16 and 8192.")
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IViewportPostProcessor, MosaicPreviewPostProcessor>(
            sp => new MosaicPreviewPostProcessor(RasterSourceFactories(sp), sp.GetRequiredService<IOptions<MosaicPreviewOptions>>())));
        return builder;
    }

    /// <summary>
    /// GeoTessera's tile factory with the configured <see cref="GeoTesseraTileOptions"/>; landmasks are
    /// read with the first unkeyed <see cref="IRasterSourceFactory"/> (GDAL's) and names projected with
    /// the registered <see cref="ICoordinateTransformFactory"/>, unless the options name their own.
    /// </summary>
    private static GeoTesseraTileSourceFactory CreateGeoTesseraFactory(IServiceProvider services)
    {
        var configured = services.GetService<IOptions<GeoTesseraTileOptions>>()?.Value ?? new GeoTesseraTileOptions();
        var options = new GeoTesseraTileOptions
        {
            Landmask = configured.Landmask,
            MaskWater = configured.MaskWater,
            DeriveFromTileName = configured.DeriveFromTileName,
            LandmaskReader = configured.LandmaskReader ?? services.GetServices<IRasterSourceFactory>().FirstOrDefault(f => f is not GeoTesseraTileSourceFactory),
            CoordinateTransforms = configured.CoordinateTransforms ?? services.GetService<ICoordinateTransformFactory>(),
        };
        return new GeoTesseraTileSourceFactory(options);
    }

    /// <summary>Every unkeyed <see cref="IRasterSourceFactory"/> in registration order, then every keyed one.</summary>
    private static IEnumerable<IRasterSourceFactory> RasterSourceFactories(IServiceProvider services) =>
        services.GetServices<IRasterSourceFactory>().Concat(services.GetKeyedServices<IRasterSourceFactory>(KeyedService.AnyKey)).Distinct();
}
