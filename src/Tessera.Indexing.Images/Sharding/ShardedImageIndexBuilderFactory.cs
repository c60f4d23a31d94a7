using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Creates <see cref="ShardedImageIndexBuilder"/>s and <see cref="AlignmentChecker"/>s from the
/// registered services: stores opened by location through the <see cref="IShardStoreFactory"/>s,
/// embedders by index type name (keyed services), the <see cref="IImageDecoder"/>, the keyed
/// <see cref="IVectorIndexBuilder"/> that <see cref="ShardedIndexOptions.IndexBuilder"/> names,
/// options and logging.
/// </summary>
public sealed class ShardedImageIndexBuilderFactory
{
    private readonly IServiceProvider _services;
    private readonly IEnumerable<IShardStoreFactory> _storeFactories;
    private readonly IOptions<ShardedIndexOptions> _options;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Creates the factory (normally resolved from the container).</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="storeFactories">The store factories, in registration order.</param>
    /// <param name="options">The default build options.</param>
    /// <param name="loggerFactory">Logging, when registered.</param>
    public ShardedImageIndexBuilderFactory(
        IServiceProvider services,
        IEnumerable<IShardStoreFactory> storeFactories,
        IOptions<ShardedIndexOptions> options,
        ILoggerFactory? loggerFactory = null)
    {
        _services = services;
        _storeFactories = storeFactories;
        _options = options;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Opens <paramref name="location"/> (a folder, <c>file://</c>, <c>supabase://bucket/prefix</c>, …).</summary>
    /// <param name="location">The store's location.</param>
    /// <returns>The store.</returns>
    public IShardStore OpenStore(string location) => ShardStores.Open(_storeFactories, location);

    /// <summary>Creates a builder of <paramref name="types"/> into <paramref name="store"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="types">Index type names, each a registered keyed embedder.</param>
    /// <param name="options">Build options; <see langword="null"/> for the registered ones.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="IImageDecoder"/>, no embedder for a type, or no index builder of the configured key is registered.</exception>
    public ShardedImageIndexBuilder Create(IShardStore store, IEnumerable<string> types, ShardedIndexOptions? options = null)
    {
        options ??= _options.Value;
        var decoder = _services.GetService<IImageDecoder>()
            ?? throw new InvalidOperationException("No IImageDecoder is registered; add one (for example .AddGdal() from Tessera.Indexing.Gdal).");
        var embedders = ImageIndexTypes.Resolve(_services, types);
        return new ShardedImageIndexBuilder(store, decoder, embedders, options, _loggerFactory?.CreateLogger<ShardedImageIndexBuilder>(), ResolveIndexBuilder(_services, options));
    }

    /// <summary>
    /// Creates a checker of <paramref name="store"/> that reads shards with the configured index
    /// builder and, when <see cref="AlignmentCheckOptions.Embedders"/> is not given, re-embeds samples
    /// with the registered embedders and decoder if the store was built with the configured
    /// <see cref="ShardedIndexOptions.ModelName"/> (otherwise it skips the sample check with a warning).
    /// </summary>
    /// <param name="store">The store.</param>
    /// <returns>The checker.</returns>
    public AlignmentChecker CreateAlignmentChecker(IShardStore store)
    {
        var options = _options.Value;
        return new AlignmentChecker(store, ResolveIndexBuilder(_services, options), _loggerFactory?.CreateLogger<AlignmentChecker>())
        {
            Sampling = new AlignmentChecker.RegisteredSampling(options.ModelName, _services.GetService<IImageDecoder>(), EmbedderOf(_services)),
        };
    }

    /// <summary>The keyed <see cref="IVectorIndexBuilder"/> that <see cref="ShardedIndexOptions.IndexBuilder"/> names.</summary>
    internal static IVectorIndexBuilder ResolveIndexBuilder(IServiceProvider services, ShardedIndexOptions options) =>
        services.GetKeyedService<IVectorIndexBuilder>(options.IndexBuilder)
            ?? throw new InvalidOperationException(
                $"No IVectorIndexBuilder is registered under the key '{options.IndexBuilder}' (ShardedIndexOptions.IndexBuilder). AddTesseraIndexing() registers '{VectorIndexBuilderKeys.Faiss}' and '{VectorIndexBuilderKeys.Managed}', AddShardedImageIndexing() '{FlatIndexes.ManagedFlatIndexBuilder.ServiceKey}'.");

    /// <summary>The keyed embedder of an index type, or <see langword="null"/>.</summary>
    internal static Func<string, IEmbeddingGenerator<RgbImage, Embedding<float>>?> EmbedderOf(IServiceProvider services) =>
        type => services.GetKeyedService<IEmbeddingGenerator<RgbImage, Embedding<float>>>(type);
}
