using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// A sharded index of one type loaded for search: every shard fetched from the store (SHA-256
/// checked against the manifest; an open shard's batch objects added after its index object) and
/// read through an <see cref="IVectorIndexBuilder"/>, searched in turn, and the hits merged into one
/// top-k, always reported with the item ids of the id map.
/// </summary>
/// <remarks>Searches are thread-safe; <see cref="Dispose"/> must not overlap them.</remarks>
public sealed class ShardedIndex : IDisposable
{
    private readonly List<LoadedShard> _shards;
    private readonly Dictionary<string, long> _labelsById;

    internal ShardedIndex(ShardManifest manifest, List<LoadedShard> shards, Dictionary<string, long> labelsById)
    {
        Manifest = manifest;
        _shards = shards;
        _labelsById = labelsById;
    }

    /// <summary>The manifest the index was loaded from.</summary>
    public ShardManifest Manifest { get; }

    /// <summary>The model name.</summary>
    public string Model => Manifest.Model;

    /// <summary>The index type.</summary>
    public string Type => Manifest.Type;

    /// <summary>Vector dimension.</summary>
    public int Dimension => Manifest.Dimension;

    /// <summary>The metric.</summary>
    public VectorMetric Metric => Manifest.Metric;

    /// <summary>Vectors in all shards.</summary>
    public long Count => _labelsById.Count;

    /// <summary>Whether the stored vectors were L2-normalised, so queries are too (<see cref="PrepareQuery"/>).</summary>
    public bool Normalized => Manifest.NormalizesVectors;

    /// <summary>Shards loaded.</summary>
    public int ShardCount => _shards.Count;

    internal IReadOnlyList<LoadedShard> Shards => _shards;

    /// <summary>Loads every shard of <paramref name="type"/> from <paramref name="store"/>, reading them with FAISS.</summary>
    /// <param name="store">The store (or a partition's namespace inside it).</param>
    /// <param name="type">The index type, e.g. <c>color</c>.</param>
    /// <param name="model">The model name; <see langword="null"/> takes it from progress.json.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>The loaded index.</returns>
    /// <exception cref="ShardStoreException">The manifest, a shard or an id-map segment is missing, or a checksum does not match (<see cref="ShardStoreErrorKind.Corrupt"/>).</exception>
    /// <exception cref="ShardAlignmentException">A shard's vector count differs from its id-map slice.</exception>
    public static Task<ShardedIndex> LoadAsync(IShardStore store, string type, string? model = null, CancellationToken cancellationToken = default) =>
        LoadAsync(store, type, model, new FaissIndexBuilder(), cancellationToken);

    /// <summary>Loads every shard of <paramref name="type"/> from <paramref name="store"/>, reading them with <paramref name="indexBuilder"/>.</summary>
    /// <param name="store">The store (or a partition's namespace inside it).</param>
    /// <param name="type">The index type, e.g. <c>color</c>.</param>
    /// <param name="model">The model name; <see langword="null"/> takes it from progress.json.</param>
    /// <param name="indexBuilder">Reads the shards' index objects (for example <see cref="FlatIndexes.ManagedFlatIndexBuilder"/>).</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>The loaded index.</returns>
    /// <exception cref="ShardStoreException">The manifest, a shard or an id-map segment is missing, or a checksum does not match (<see cref="ShardStoreErrorKind.Corrupt"/>).</exception>
    /// <exception cref="ShardAlignmentException">A shard's vector count differs from its id-map slice, or a shard is unreadable.</exception>
    public static async Task<ShardedIndex> LoadAsync(IShardStore store, string type, string? model, IVectorIndexBuilder indexBuilder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(indexBuilder);
        model = await ShardedStoreReader.ResolveModelAsync(store, model, cancellationToken).ConfigureAwait(false);
        var manifest = await ShardedStoreReader.ReadManifestAsync(store, model, type, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardStoreException(
                ShardStoreErrorKind.NotFound,
                ShardStoreLayout.ManifestName(model, type),
                $"{store.Location} has no '{type}' index of model '{model}' ({ShardStoreLayout.ManifestName(model, type)}). If it was built with --partition, merge the partitions first.");

        var shards = new List<LoadedShard>(manifest.Shards.Count);
        var labelsById = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var entry in manifest.Shards)
            {
                var loaded = await ShardLoader.LoadAsync(store, entry, manifest.Dimension, indexBuilder, cancellationToken).ConfigureAwait(false);
                shards.Add(loaded);
                for (var i = 0; i < loaded.Ids.Length; i++)
                {
                    if (!labelsById.TryAdd(loaded.Ids[i], entry.FirstLabel + i))
                    {
                        throw new ShardAlignmentException($"The item id '{loaded.Ids[i]}' appears twice in the '{type}' id map.");
                    }
                }
            }
        }
        catch
        {
            foreach (var shard in shards)
            {
                shard.Index.Dispose();
            }

            throw;
        }

        return new ShardedIndex(manifest, shards, labelsById);
    }

    /// <summary>Turns an embedding into a query the way the build turned embeddings into stored vectors: L2-normalised (max(norm, 1e-12)) when <see cref="Normalized"/>.</summary>
    /// <param name="embedding">The embedding, as the index type's embedder produced it.</param>
    /// <returns>The query vector (a copy).</returns>
    public float[] PrepareQuery(ReadOnlySpan<float> embedding)
    {
        var query = embedding.ToArray();
        if (Normalized)
        {
            EmbeddingKernels.NormalizeL2(query);
        }

        return query;
    }

    /// <summary>The <paramref name="k"/> nearest items to <paramref name="query"/> over all shards, best first.</summary>
    /// <param name="query">A vector of <see cref="Dimension"/> values, prepared like the stored ones (<see cref="PrepareQuery"/>).</param>
    /// <param name="k">Neighbours wanted.</param>
    /// <returns>Up to <paramref name="k"/> hits.</returns>
    public IReadOnlyList<ItemSearchHit> Search(ReadOnlySpan<float> query, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (query.Length != Dimension)
        {
            throw new ArgumentException($"The query has {query.Length} values; the index is {Dimension}-d.", nameof(query));
        }

        var higherIsBetter = Metric == VectorMetric.InnerProduct;
        var hits = new List<ItemSearchHit>();
        foreach (var shard in _shards)
        {
            var take = (int)Math.Min(k, shard.Index.Count);
            if (take == 0)
            {
                continue;
            }

            var distances = new float[take];
            var labels = new long[take];
            shard.Index.Search(query, take, distances, labels);
            for (var i = 0; i < take && labels[i] >= 0; i++)
            {
                hits.Add(new ItemSearchHit(shard.Ids[labels[i]], shard.Entry.FirstLabel + labels[i], distances[i], shard.Entry.Name));
            }
        }

        hits.Sort((a, b) =>
        {
            var byScore = higherIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score);
            return byScore != 0 ? byScore : a.Label.CompareTo(b.Label);
        });
        return hits.Count > k ? hits.GetRange(0, k) : hits;
    }

    /// <summary>The label of an item.</summary>
    /// <param name="itemId">The item's id.</param>
    /// <param name="label">Its label, when indexed.</param>
    /// <returns>Whether the item is indexed.</returns>
    public bool TryGetLabel(string itemId, out long label) => _labelsById.TryGetValue(itemId, out label);

    /// <summary>The item id of a label.</summary>
    /// <param name="label">A label.</param>
    /// <returns>The item id, or <see langword="null"/> when no shard holds the label.</returns>
    public string? GetItemId(long label)
    {
        foreach (var shard in _shards)
        {
            if (label >= shard.Entry.FirstLabel && label <= shard.Entry.LastLabel)
            {
                return shard.Ids[label - shard.Entry.FirstLabel];
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Index.Dispose();
        }

        _shards.Clear();
    }

    internal sealed record LoadedShard(ShardManifestEntry Entry, IVectorIndex Index, string[] Ids, string[] Images);
}
