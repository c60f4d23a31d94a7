using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing's services.</summary>
public static class TesseraServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services with their defaults (index building, and the local shard store
    /// factory for folders and <c>file://</c> URIs). The products hang off the returned builder:
    /// <c>.AddMosaicIndexing()</c> (Tessera.Indexing.Mosaics), <c>.AddShardedImageIndexing()</c>
    /// (Tessera.Indexing.Images); the providers likewise: <c>.AddGdal()</c>, <c>.AddOnnxImageEmbedder(…)</c>,
    /// <c>.AddSupabase(…)</c>. Every default is added with
    /// <c>TryAdd</c>, so an application can register its own implementation before or after.
    /// </summary>
    /// <remarks>
    /// Both builders honour <see cref="FaissIndexOptions"/> (the index memory budget), bindable with
    /// <c>AddOptions&lt;FaissIndexOptions&gt;()</c>.
    /// <see cref="IVectorIndexBuilder"/> resolves to <see cref="ManagedIvfIndexBuilder"/> (managed
    /// SIMD training and encoding of IVF-Flat/IVF-PQ, FAISS for every other index type). Both
    /// builders are also registered under the keys of <see cref="VectorIndexBuilderKeys"/>
    /// (<c>"managed"</c>, <c>"faiss"</c>), and the managed exact flat index
    /// (<see cref="ManagedFlatIndexBuilder"/>, no FAISS code) under <c>"managed-flat"</c> and as their own types, so a pipeline can pick one by name.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for the other Tessera packages' registrations.</returns>
    public static ITesseraIndexingBuilder AddTesseraIndexing(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.AddOptions<ManagedIvfIndexBuilderOptions>();
        services.AddOptions<FaissIndexOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManagedIvfIndexBuilderOptions>, ManagedIvfIndexBuilderOptionsValidator>());
        services.TryAddSingleton<TesseraDiagnostics>();
        services.TryAddSingleton<FaissIndexBuilder>();
        services.TryAddSingleton(sp => new ManagedIvfIndexBuilder(
            sp.GetRequiredService<IOptions<ManagedIvfIndexBuilderOptions>>().Value,
            sp.GetService<ILogger<ManagedIvfIndexBuilder>>(),
            sp.GetRequiredService<IOptions<FaissIndexOptions>>().Value));
        services.TryAddKeyedSingleton<IVectorIndexBuilder>(VectorIndexBuilderKeys.Faiss, (sp, _) => sp.GetRequiredService<FaissIndexBuilder>());
        services.TryAddKeyedSingleton<IVectorIndexBuilder>(VectorIndexBuilderKeys.Managed, (sp, _) => sp.GetRequiredService<ManagedIvfIndexBuilder>());
        services.TryAddSingleton<IVectorIndexBuilder>(sp => sp.GetRequiredService<ManagedIvfIndexBuilder>());
        services.TryAddSingleton<ManagedFlatIndexBuilder>();
        services.TryAddKeyedSingleton<IVectorIndexBuilder>(ManagedFlatIndexBuilder.ServiceKey, static (sp, _) => sp.GetRequiredService<ManagedFlatIndexBuilder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, LocalShardStoreFactory>());
        return new TesseraIndexingBuilder(services);
    }
}
