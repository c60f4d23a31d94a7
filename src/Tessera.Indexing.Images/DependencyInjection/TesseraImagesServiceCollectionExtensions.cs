using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Images' services on the Tessera builder: sharded image indexing and the image index types
/// (keyed <c>IEmbeddingGenerator&lt;RgbImage, Embedding&lt;float&gt;&gt;</c> services).</summary>
public static partial class TesseraImagesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ShardedIndexOptions"/> (validated at start) and the
    /// <see cref="ShardedImageIndexBuilderFactory"/> that opens stores by location and creates builders.
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="configure">Adjusts the options (also bindable with <c>AddOptions&lt;ShardedIndexOptions&gt;().Bind(...)</c>).</param>
    /// <returns>The builder.</returns>
    public static ITesseraIndexingBuilder AddShardedImageIndexing(this ITesseraIndexingBuilder builder, Action<ShardedIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<ShardedIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShardedIndexOptions>, ShardedIndexOptionsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, LocalShardStoreFactory>());
        builder.Services.TryAddSingleton<ShardedImageIndexBuilderFactory>();
        return builder;
    }
}
