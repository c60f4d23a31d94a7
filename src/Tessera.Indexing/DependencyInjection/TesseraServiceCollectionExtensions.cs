using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Sharding;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing's services.</summary>
public static partial class TesseraServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services with their defaults (FAISS index building, the local shard store factory). Every default is added with
    /// <c>TryAdd</c>, so an application can register its own implementation before or after.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for the other Tessera packages' registrations.</returns>
    public static ITesseraIndexingBuilder AddTesseraIndexing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton<IVectorIndexBuilder, FaissIndexBuilder>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, LocalShardStoreFactory>());
        return new TesseraIndexingBuilder(services);
    }
}
