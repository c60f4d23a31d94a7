namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// What a manifest records of every vectors object it lists, a shard's index object
/// (<see cref="ShardManifestEntry"/>) or one of an open shard's batch objects (<see cref="ShardBatchEntry"/>):
/// its number, name, id map, size, checksum and the label of its first vector.
/// </summary>
public abstract record ShardObjectEntry
{
    /// <summary>The number: the shard's from 1 within its namespace (partition), or the batch's from 1 within its shard.</summary>
    public required int Number { get; init; }

    /// <summary>
    /// The object's name, relative to the manifest's namespace (a merged manifest's names start with
    /// <c>part-i-of-N/</c>): a shard's FAISS index object, or a batch's raw little-endian float32 rows
    /// (<c>Count × dimension</c> values, no header).
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The name of the object's id map: the shard's id-map segment, or the batch's ids object (an <see cref="IdMapSegment"/>).</summary>
    public required string IdMap { get; init; }

    /// <summary>Vectors the entry covers (for a shard, its index object's <c>ntotal</c> plus its batches').</summary>
    public required long Count { get; init; }

    /// <summary>The object's size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the object's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The label of the first vector; vector <c>i</c> has label <c>FirstLabel + i</c>.</summary>
    public required long FirstLabel { get; init; }
}
