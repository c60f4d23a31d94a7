namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// One batch object of an open shard in a <see cref="ShardManifestEntry"/>: the vectors a batch
/// added after the shard's index object was last uploaded, kept as two immutable objects (the
/// vectors, <c>{shard}.batch_00001.f32</c>, and their ids, <c>{shard}.batch_00001.ids.json</c>)
/// until the shard is uploaded whole (when it fills up, or when the run ends) and they are deleted.
/// </summary>
public sealed record ShardBatchEntry
{
    /// <summary>The batch number within its shard, from 1.</summary>
    public required int Number { get; init; }

    /// <summary>The vectors object's name: raw little-endian float32 rows, <c>Count × dimension</c> values, no header.</summary>
    public required string Name { get; init; }

    /// <summary>The ids object's name: an <see cref="IdMapSegment"/> of the batch's vectors.</summary>
    public required string IdMap { get; init; }

    /// <summary>Vectors in the batch.</summary>
    public required long Count { get; init; }

    /// <summary>The vectors object's size in bytes (<c>Count × dimension × 4</c>).</summary>
    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the vectors object's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Lower-case hex <see cref="IdMapDigest"/> of the batch's ids object; <see langword="null"/> in manifests written before it existed.</summary>
    public string? IdsSha256 { get; init; }

    /// <summary>The label of the batch's first vector.</summary>
    public required long FirstLabel { get; init; }
}
