namespace Tessera.Indexing.Images.Sharding;

/// <summary>What <see cref="ShardPartitionMerger"/> wrote.</summary>
public sealed record PartitionMergeResult
{
    /// <summary>The store.</summary>
    public required string Store { get; init; }

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The partitions merged, as their prefixes (<c>part-0-of-3/</c>, …).</summary>
    public required IReadOnlyList<string> Partitions { get; init; }

    /// <summary>Partitions whose last run did not complete (merged anyway when allowed).</summary>
    public IReadOnlyList<string> Incomplete { get; init; } = [];

    /// <summary>Vectors per type in the merged view.</summary>
    public required IReadOnlyDictionary<string, long> Vectors { get; init; }

    /// <summary>Shards per type in the merged view.</summary>
    public required IReadOnlyDictionary<string, int> Shards { get; init; }

    /// <summary>Items indexed per brand over all partitions.</summary>
    public required IReadOnlyDictionary<string, long> Brands { get; init; }

    /// <summary>Items recorded as failed over all partitions.</summary>
    public long Failed { get; init; }
}
