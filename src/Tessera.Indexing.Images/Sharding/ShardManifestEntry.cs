using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>One shard in a <see cref="ShardManifest"/>.</summary>
public sealed record ShardManifestEntry : ShardObjectEntry
{
    /// <summary>
    /// Lower-case hex <see cref="IdMapDigest"/> of the first <see cref="IndexCount"/> entries of the
    /// shard's id-map segment (the ids of the index object's vectors); <see langword="null"/> in
    /// manifests written before it existed. A resume and <c>check-alignment</c> refuse a segment that does not match.
    /// </summary>
    public string? IdMapSha256 { get; init; }

    /// <summary>The label of the shard's last vector (<c>FirstLabel + Count - 1</c>).</summary>
    public required long LastLabel { get; init; }

    /// <summary>Vector dimension.</summary>
    public required int Dimension { get; init; }

    /// <summary>The metric.</summary>
    public required VectorMetric Metric { get; init; }

    /// <summary>The FAISS factory string the shard was created from.</summary>
    public required string Factory { get; init; }

    /// <summary>Whether the shard is full and will not change again.</summary>
    public bool Sealed { get; init; }

    /// <summary>
    /// The open shard's batch objects, committed after its index object was last uploaded (in label
    /// order, right after the index object's vectors); <see langword="null"/> when the index object
    /// holds every vector (always so for a sealed shard and after a run completes).
    /// </summary>
    public IReadOnlyList<ShardBatchEntry>? Batches { get; init; }

    /// <summary>Vectors in the shard's index object itself (<see cref="ShardObjectEntry.Count"/> less the batches').</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long IndexCount => Count - (Batches?.Sum(b => b.Count) ?? 0);

    /// <summary>The partition that wrote it (<c>i/N</c>), or <see langword="null"/> for an unpartitioned build.</summary>
    public string? Partition { get; init; }
}
