namespace Tessera.Indexing.Images.Sharding;

/// <summary>What a build run did, and what the store holds after it.</summary>
public sealed record ShardedBuildResult
{
    /// <summary>The store namespace built into (a partition's <c>part-i-of-N/</c> included).</summary>
    public required string Store { get; init; }

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The index types built.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    /// <summary>The partition built (<c>i/N</c>), or <see langword="null"/>.</summary>
    public string? Partition { get; init; }

    /// <summary>Items read from the source in this run.</summary>
    public long ItemsRead { get; init; }

    /// <summary>Items indexed in this run.</summary>
    public long Indexed { get; init; }

    /// <summary>Items skipped because an earlier run had indexed them or recorded them as failed.</summary>
    public long Skipped { get; init; }

    /// <summary>Items whose id appeared again in the source in this run (indexed once).</summary>
    public long Duplicates { get; init; }

    /// <summary>The items that failed in this run, with reasons.</summary>
    public IReadOnlyList<FailedItem> NewFailures { get; init; } = [];

    /// <summary>All items recorded as failed in the store.</summary>
    public long TotalFailed { get; init; }

    /// <summary>Shard uploads in this run.</summary>
    public long ShardUploads { get; init; }

    /// <summary>Vectors in the store per type.</summary>
    public IReadOnlyDictionary<string, long> Vectors { get; init; } = new Dictionary<string, long>();

    /// <summary>Shards in the store per type.</summary>
    public IReadOnlyDictionary<string, int> Shards { get; init; } = new Dictionary<string, int>();

    /// <summary>Items indexed (in every type) per brand, in the whole store.</summary>
    public IReadOnlyDictionary<string, long> Brands { get; init; } = new Dictionary<string, long>();

    /// <summary>What resuming had to reconcile in the store (adopted shards, truncated segments, …).</summary>
    public IReadOnlyList<string> Repairs { get; init; } = [];

    /// <summary>Whether the source was read to the end.</summary>
    public bool Completed { get; init; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; init; }
}
