using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Images' services on the Tessera builder: sharded image indexing and the image index types
/// (keyed <c>IEmbeddingGenerator&lt;RgbImage, Embedding&lt;float&gt;&gt;</c> services).</summary>
public static partial class TesseraImagesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ShardedIndexOptions"/> (validated at start), the
    /// <see cref="ShardedImageIndexBuilderFactory"/> that opens stores by location and creates builders
    /// and alignment checkers, and the <see cref="ShardedImageSearcher"/> (the image query path).
    /// <see cref="ShardedIndexOptions.IndexBuilder"/> names the keyed <c>IVectorIndexBuilder</c> that
    /// creates and reads the shards (<c>faiss</c>, <c>managed</c> or <c>managed-flat</c>, all registered
    /// by <c>AddTesseraIndexing()</c>).
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="configure">Adjusts the options (also bindable with <c>AddOptions&lt;ShardedIndexOptions&gt;().Bind(...)</c>).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddShardedImageIndexing(this ITesseraIndexingBuilder builder, Action<ShardedIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<ShardedIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShardedIndexOptions>, ShardedIndexOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, LocalShardStoreFactory>());
        services.TryAddSingleton<ShardedImageIndexBuilderFactory>();
        services.TryAddSingleton(static sp =>
        {
            var settings = sp.GetRequiredService<IOptions<ShardedIndexOptions>>().Value;
            return new ShardedImageSearcher(
                sp.GetService<IImageDecoder>() ?? throw new InvalidOperationException("No IImageDecoder is registered; add one (for example .AddGdal() from Tessera.Indexing.Gdal)."),
                ShardedImageIndexBuilderFactory.EmbedderOf(sp),
                ShardedImageIndexBuilderFactory.ResolveIndexBuilder(sp, settings),
                settings.ModelName,
                settings.DecodeOptions);
        });
        return builder;
    }
}
