namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// One batch object of an open shard in a <see cref="ShardManifestEntry"/>: the vectors a batch
/// added after the shard's index object was last uploaded, kept as two immutable objects (the
/// vectors, <c>{shard}.batch_00001.f32</c>, and their ids, <c>{shard}.batch_00001.ids.json</c>)
/// until the shard is uploaded whole (when it fills up, or when the run ends) and they are deleted.
/// </summary>
public sealed record ShardBatchEntry : ShardObjectEntry
{
    /// <summary>Lower-case hex <see cref="IdMapDigest"/> of the batch's ids object; <see langword="null"/> in manifests written before it existed.</summary>
    public string? IdsSha256 { get; init; }
}
