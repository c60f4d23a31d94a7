namespace Tessera.Indexing.Images.Sharding;

/// <summary>Where a running build stands, reported after every batch.</summary>
public sealed record ShardedBuildProgress
{
    /// <summary>Items read from the source so far in this run.</summary>
    public long ItemsRead { get; init; }

    /// <summary>Items indexed in this run.</summary>
    public long Indexed { get; init; }

    /// <summary>Items skipped because an earlier run indexed them (or recorded them as failed).</summary>
    public long Skipped { get; init; }

    /// <summary>Items that failed in this run.</summary>
    public long Failed { get; init; }

    /// <summary>Shard uploads in this run (a shard is uploaded again after each batch that grows it).</summary>
    public long ShardUploads { get; init; }

    /// <summary>Shards in the store, all types together.</summary>
    public int Shards { get; init; }

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Items handled (indexed or failed) per second in this run.</summary>
    public double ItemsPerSecond => Elapsed.TotalSeconds > 0 ? (Indexed + Failed) / Elapsed.TotalSeconds : 0;

    /// <summary>The last item id handled.</summary>
    public string? LastId { get; init; }
}
