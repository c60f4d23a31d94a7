using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Creates <see cref="ShardedImageIndexBuilder"/>s from the registered services: stores opened by
/// location through the <see cref="IShardStoreFactory"/>s, embedders by index type name (keyed
/// services), the <see cref="IImageDecoder"/>, options and logging.
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
    /// <exception cref="InvalidOperationException">No <see cref="IImageDecoder"/> or no embedder for a type is registered.</exception>
    public ShardedImageIndexBuilder Create(IShardStore store, IEnumerable<string> types, ShardedIndexOptions? options = null)
    {
        var decoder = _services.GetService<IImageDecoder>()
            ?? throw new InvalidOperationException("No IImageDecoder is registered; add one (for example .AddGdal() from Tessera.Indexing.Gdal).");
        var embedders = ImageIndexTypes.Resolve(_services, types);
        return new ShardedImageIndexBuilder(store, decoder, embedders, options ?? _options.Value, _loggerFactory?.CreateLogger<ShardedImageIndexBuilder>());
    }
}
