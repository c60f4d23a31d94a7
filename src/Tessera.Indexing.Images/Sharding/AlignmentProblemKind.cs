namespace Tessera.Indexing.Images.Sharding;

/// <summary>What kind of misalignment <see cref="AlignmentChecker"/> found.</summary>
public enum AlignmentProblemKind
{
    /// <summary>A type has no manifest.</summary>
    MissingManifest,

    /// <summary>A shard the manifest lists is not in the store.</summary>
    MissingShard,

    /// <summary>A shard's id-map segment is not in the store.</summary>
    MissingIdMap,

    /// <summary>A shard's bytes do not match the manifest's SHA-256 (or size).</summary>
    ChecksumMismatch,

    /// <summary>A shard is not a readable FAISS index, or its dimension or metric differ from the manifest's.</summary>
    UnreadableShard,

    /// <summary>A shard's <c>ntotal</c>, its manifest count and its id-map slice disagree.</summary>
    CountMismatch,

    /// <summary>Label ranges overlap, leave gaps inside a partition, or differ between the manifest and a segment.</summary>
    LabelMismatch,

    /// <summary>An item id appears more than once in a type's id map.</summary>
    DuplicateId,

    /// <summary>progress.json claims more than the store holds.</summary>
    ProgressMismatch,

    /// <summary>An item recorded as failed is also indexed.</summary>
    FailedItemIndexed,

    /// <summary>The whole-map file <c>{model}_{type}_id_map.json</c> differs from the segments.</summary>
    IdMapMismatch,

    /// <summary>An item of the source is neither indexed nor recorded as failed.</summary>
    MissingItem,

    /// <summary>A re-embedded sample item is not its own nearest neighbour at similarity ~1 (distance ~0).</summary>
    SampleMismatch,

    /// <summary>A shard's id-map segment (or a batch's ids object) does not match the checksum the manifest records: ids were swapped, renamed or dropped after they were written.</summary>
    IdMapChecksumMismatch,
}
