using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// <c>progress.json</c>: the state of a sharded build, written after the shards, id-map segments and
/// manifests of every batch (so it never claims what the store lacks).
/// </summary>
public sealed record BuildProgressDocument
{
    /// <summary>The format version (<see cref="ShardStoreLayout.FormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = ShardStoreLayout.FormatVersion;

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The index types built.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    /// <summary>The FAISS factory string of new shards.</summary>
    public string Factory { get; init; } = "Flat";

    /// <summary>The metric.</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.InnerProduct;

    /// <summary>The partition (<c>i/N</c>) this namespace holds, or <see langword="null"/>.</summary>
    public string? Partition { get; init; }

    /// <summary>The first label of this namespace.</summary>
    public long LabelBase { get; init; }

    /// <summary>The item source of the last run.</summary>
    public string? Source { get; init; }

    /// <summary>Whether the last run read its source to the end.</summary>
    public bool Completed { get; init; }

    /// <summary>Runs started against this namespace.</summary>
    public int Runs { get; init; }

    /// <summary>When the first run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When this file was written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The checkpoint: counts and the last id handled.</summary>
    public ProgressCheckpoint Checkpoint { get; init; } = new();

    /// <summary>Vectors indexed per type.</summary>
    public IReadOnlyDictionary<string, long> Indexed { get; init; } = new Dictionary<string, long>();

    /// <summary>Items indexed per brand (<c>(none)</c> for items without one).</summary>
    public IReadOnlyDictionary<string, long> Brands { get; init; } = new Dictionary<string, long>();

    /// <summary>Shard counters per type.</summary>
    public IReadOnlyDictionary<string, ShardCounters> Shards { get; init; } = new Dictionary<string, ShardCounters>();

    /// <summary>Items that failed, with reasons.</summary>
    public IReadOnlyList<FailedItem> Failed { get; init; } = [];

    /// <summary>Whether this is the combined progress a merge of partitions wrote.</summary>
    public bool Merged { get; init; }

    /// <summary>For a merged progress file, the partitions' prefixes.</summary>
    public IReadOnlyList<string>? Partitions { get; init; }

    /// <summary>The key <see cref="Brands"/> uses for items without a brand.</summary>
    public const string NoBrand = "(none)";
}
