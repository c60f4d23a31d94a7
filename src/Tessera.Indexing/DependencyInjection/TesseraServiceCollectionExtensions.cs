using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Sharding;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing's services.</summary>
public static partial class TesseraServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services with their defaults (FAISS index building, mosaic indexing with
    /// <see cref="MosaicIndexer"/>, which opens mosaics with whatever <c>IRasterSourceFactory</c> is
    /// registered, for example by <c>.AddGdal()</c>, and the local shard store factory for folders
    /// and <c>file://</c> URIs). Every default is added with
    /// <c>TryAdd</c>, so an application can register its own implementation before or after.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for the other Tessera packages' registrations.</returns>
    public static ITesseraIndexingBuilder AddTesseraIndexing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton<IVectorIndexBuilder, FaissIndexBuilder>();
        services.TryAddSingleton<IMosaicIndexer, MosaicIndexer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, LocalShardStoreFactory>());
        return new TesseraIndexingBuilder(services);
    }
}
