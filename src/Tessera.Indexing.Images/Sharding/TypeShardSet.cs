using Microsoft.Extensions.Logging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The shards of one index type while a build runs, and the three stages that act on them:
/// <see cref="ShardReconciler"/> reads the store and repairs what a crashed run left,
/// <see cref="ShardWriter"/> adds vectors and rotates shards in memory, and
/// <see cref="ShardCommitter"/> uploads what changed (whole shards or batch objects, then the manifest).
/// This class holds their shared state, the manifest view and the alignment assertion.
/// </summary>
internal sealed class TypeShardSet : IDisposable
{
    internal TypeShardSet(IShardStore store, string type, ShardedIndexOptions options, IVectorIndexBuilder indexBuilder, long labelBase, ILogger logger)
    {
        Store = store;
        Type = type;
        Options = options;
        IndexBuilder = indexBuilder;
        Logger = logger;
        Model = options.ModelName;
        LabelBase = labelBase;
        NextLabel = labelBase;
        Writer = new ShardWriter(this);
        Committer = new ShardCommitter(this);
    }

    public IShardStore Store { get; }

    public ShardedIndexOptions Options { get; }

    public IVectorIndexBuilder IndexBuilder { get; }

    public ILogger Logger { get; }

    public ShardWriter Writer { get; }

    public ShardCommitter Committer { get; }

    public string Model { get; }

    public string Type { get; }

    public long LabelBase { get; }

    /// <summary>0 until the first vector (or a manifest) fixes it.</summary>
    public int Dimension { get; set; }

    public long NextLabel { get; set; }

    public List<ShardRecord> Shards { get; } = [];

    public ShardRecord? Current { get; set; }

    public bool ManifestDirty { get; set; }

    public long Count => Shards.Sum(s => s.NTotal);

    public string ManifestName => ShardStoreLayout.ManifestName(Model, Type);

    /// <summary>One type in a store that does not exist yet: nothing to read or reconcile.</summary>
    public static TypeShardSet Empty(IShardStore store, string type, ShardedIndexOptions options, IVectorIndexBuilder indexBuilder, long labelBase, ILogger logger) =>
        new(store, type, options, indexBuilder, labelBase, logger);

    /// <summary>Reads the type's state from the store, reconciling what a crashed run left (see <see cref="ShardReconciler"/>).</summary>
    public static async Task<TypeShardSet> LoadAsync(
        IShardStore store, string type, ShardedIndexOptions options, IVectorIndexBuilder indexBuilder, long labelBase, ILogger logger, List<string> repairs, CancellationToken cancellationToken)
    {
        var set = new TypeShardSet(store, type, options, indexBuilder, labelBase, logger);
        try
        {
            await new ShardReconciler(set, repairs).ReconcileAsync(cancellationToken).ConfigureAwait(false);
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Fixes the dimension from the first embedding (or checks it against the store's).</summary>
    public void EnsureDimension(int dimension)
    {
        if (Dimension == 0)
        {
            Dimension = dimension;
        }
        else if (Dimension != dimension)
        {
            throw new InvalidOperationException(
                $"The '{Type}' embedder produces {dimension}-d vectors but the '{Type}' index in the store is {Dimension}-d. Build into another store, or use the embedder it was built with.");
        }
    }

    /// <summary>Adds one vector per item (row-major), rotating shards by count and size.</summary>
    public void Add(ReadOnlySpan<float> vectors, IReadOnlyList<ImageItem> items) => Writer.Add(vectors, items);

    /// <summary>The manifest entry of what the store holds of <paramref name="shard"/>, whose index object is <paramref name="bytes"/> bytes with SHA-256 <paramref name="sha"/>.</summary>
    /// <param name="shard">The shard.</param>
    /// <param name="bytes">Its index object's size.</param>
    /// <param name="sha">Its index object's SHA-256.</param>
    /// <param name="idMapSha">The <see cref="IdMapDigest"/> of the index object's ids when already known; computed from the shard's ids otherwise.</param>
    public ShardManifestEntry NewEntry(ShardRecord shard, long bytes, string sha, string? idMapSha = null)
    {
        var count = shard.Committed;
        idMapSha ??= IdMapDigest.Compute(shard.Ids, shard.Brands, shard.Images, Math.Max(0, shard.IndexObjectCount));
        return new()
        {
            Number = shard.Number,
            Name = shard.Name,
            IdMap = shard.SegmentName,
            Count = count,
            Bytes = bytes,
            Sha256 = sha,
            IdMapSha256 = idMapSha,
            FirstLabel = shard.FirstLabel,
            LastLabel = shard.FirstLabel + count - 1,
            Dimension = Dimension,
            Metric = Options.Metric,
            Factory = Options.FactoryString,
            Sealed = shard.Sealed,
            Batches = shard.Batches.Count == 0 ? null : shard.Batches.ToArray(),
            Partition = Options.Partition?.ToString(),
        };
    }

    public ShardManifest ToManifest() => new()
    {
        Model = Model,
        Type = Type,
        Dimension = Dimension,
        Metric = Options.Metric,
        Factory = Options.FactoryString,
        Normalized = Options.NormalizeVectors,
        Count = Shards.Where(s => s.Entry is not null).Sum(s => s.Entry!.Count),
        Shards = Shards.Where(s => s.Entry is not null).Select(s => s.Entry!).ToArray(),
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// The assertion after every batch: the id map's count equals the sum of the shards' vector
    /// counts and the manifest's counts, and labels run on without gaps.
    /// </summary>
    public void Verify()
    {
        long ids = 0;
        long ntotal = 0;
        long listed = 0;
        var expectedLabel = LabelBase;
        foreach (var shard in Shards)
        {
            ids += shard.Ids.Count;
            ntotal += shard.Index?.Count ?? shard.NTotal;
            listed += shard.Entry?.Count ?? 0;
            if (shard.FirstLabel != expectedLabel)
            {
                throw new ShardAlignmentException($"'{Type}': {shard.Name} starts at label {shard.FirstLabel}, expected {expectedLabel}.");
            }

            expectedLabel += shard.Ids.Count;
        }

        if (ids != ntotal || ids != listed || expectedLabel != NextLabel)
        {
            throw new ShardAlignmentException(
                $"'{Type}' is misaligned after a batch: id map {ids} ids, shards {ntotal} vectors (ntotal), manifest {listed}, next label {NextLabel} (expected {expectedLabel}). Stopping before anything else is written.");
        }
    }

    /// <summary>Every id with its brand, over all shards.</summary>
    public IEnumerable<(string Id, string? Brand)> Items()
    {
        foreach (var shard in Shards)
        {
            for (var i = 0; i < shard.Ids.Count; i++)
            {
                yield return (shard.Ids[i], shard.Brands[i]);
            }
        }
    }

    public void Dispose()
    {
        foreach (var shard in Shards)
        {
            shard.Close();
        }
    }
}
