namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The whole id map of one index type (<c>{model}_{type}_id_map.json</c>), label → item id, written
/// when a run completes and by a merge. The per-shard <see cref="IdMapSegment"/>s are the
/// authoritative form while a build runs; this file is their concatenation for other tools.
/// </summary>
public sealed record IdMapDocument
{
    /// <summary>The format version (<see cref="ShardStoreLayout.FormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = ShardStoreLayout.FormatVersion;

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The index type.</summary>
    public required string Type { get; init; }

    /// <summary>Entries in <see cref="Labels"/>.</summary>
    public long Count { get; init; }

    /// <summary>Label → item id.</summary>
    public required IReadOnlyDictionary<long, string> Labels { get; init; }
}
