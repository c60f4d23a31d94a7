using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// One shard of a <see cref="TypeShardSet"/> in memory: its ids, its index while it is open, and
/// what of it the store already holds (the index object's count and the batch objects after it).
/// </summary>
internal sealed class ShardRecord
{
    private float[] _pending = [];

    public required int Number { get; init; }

    public required string Name { get; init; }

    public required string SegmentName { get; init; }

    public required long FirstLabel { get; init; }

    public List<string> Ids { get; } = [];

    public List<string?> Brands { get; } = [];

    public List<string> Images { get; } = [];

    /// <summary>The open index (the current shard, or a sealed one not yet uploaded whole).</summary>
    public IVectorIndex? Index { get; set; }

    /// <summary>The vectors in the shard (taken from the index while open).</summary>
    public long NTotal { get; set; }

    public bool Sealed { get; set; }

    /// <summary>Vectors in the store's index object of this shard; -1 before its first upload.</summary>
    public long IndexObjectCount { get; set; } = -1;

    /// <summary>The batch objects committed after the index object, in label order.</summary>
    public List<ShardBatchEntry> Batches { get; } = [];

    /// <summary>Vectors the store holds: the index object's and the batch objects'.</summary>
    public long Committed => Math.Max(0, IndexObjectCount) + Batches.Sum(b => b.Count);

    /// <summary>The description of the last commit (what the manifest lists).</summary>
    public ShardManifestEntry? Entry { get; set; }

    /// <summary>Set when the manifest must be rewritten for this shard although nothing was uploaded (sealed on resume).</summary>
    public bool EntryStale { get; set; }

    /// <summary>The vectors added since the last commit, row-major (what the next batch object holds).</summary>
    public ReadOnlySpan<float> PendingVectors => _pending.AsSpan(0, PendingFloats);

    public int PendingFloats { get; private set; }

    /// <summary>Whether the next commit must upload the whole index (first upload, sealed, or the run is ending) rather than a batch object.</summary>
    public bool NeedsWholeUpload(bool finishing) =>
        IndexObjectCount < 0 || ((Sealed || finishing) && (IndexObjectCount != NTotal || Batches.Count > 0));

    public bool Dirty(bool finishing) => NeedsWholeUpload(finishing) || NTotal != Committed;

    public void AppendPending(ReadOnlySpan<float> vectors)
    {
        var needed = PendingFloats + vectors.Length;
        if (needed > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(needed, _pending.Length * 2));
        }

        vectors.CopyTo(_pending.AsSpan(PendingFloats));
        PendingFloats = needed;
    }

    public void ClearPending() => PendingFloats = 0;

    /// <summary>Releases the index and the pending vectors of a shard that will not change again.</summary>
    public void Close()
    {
        Index?.Dispose();
        Index = null;
        _pending = [];
        PendingFloats = 0;
    }
}
