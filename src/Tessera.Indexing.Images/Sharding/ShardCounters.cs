namespace Tessera.Indexing.Images.Sharding;

/// <summary>The shard counters of one index type in <c>progress.json</c>.</summary>
public sealed record ShardCounters
{
    /// <summary>Shards written.</summary>
    public int Shards { get; init; }

    /// <summary>Of those, the full ones.</summary>
    public int Sealed { get; init; }

    /// <summary>Vectors in all shards.</summary>
    public long Vectors { get; init; }

    /// <summary>Bytes of all shards.</summary>
    public long Bytes { get; init; }

    /// <summary>The label the next vector gets.</summary>
    public long NextLabel { get; init; }
}
