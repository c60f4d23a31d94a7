using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>The manifest of one index type (<c>{model}_{type}_manifest.json</c>): every shard with its count, size, checksum and labels.</summary>
public sealed record ShardManifest
{
    /// <summary>The format version (<see cref="ShardStoreLayout.FormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = ShardStoreLayout.FormatVersion;

    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The index type.</summary>
    public required string Type { get; init; }

    /// <summary>Vector dimension.</summary>
    public required int Dimension { get; init; }

    /// <summary>The metric.</summary>
    public required VectorMetric Metric { get; init; }

    /// <summary>The FAISS factory string of the shards.</summary>
    public required string Factory { get; init; }

    /// <summary>
    /// Whether the vectors were L2-normalised before they were added (<see cref="ShardedIndexOptions.NormalizeVectors"/>);
    /// queries are normalised the same way. <see langword="null"/> in manifests written before this field existed: read as <see langword="true"/>, that option's default.
    /// </summary>
    public bool? Normalized { get; init; }

    /// <summary>Whether queries must be L2-normalised like the stored vectors (<see cref="Normalized"/>, <see langword="true"/> when absent).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NormalizesVectors => Normalized ?? true;

    /// <summary>Vectors in all shards.</summary>
    public long Count { get; init; }

    /// <summary>Whether this is the combined manifest a merge of partitions wrote (builds refuse to write into it).</summary>
    public bool Merged { get; init; }

    /// <summary>For a merged manifest, the partitions' prefixes.</summary>
    public IReadOnlyList<string>? Partitions { get; init; }

    /// <summary>The shards, in label order.</summary>
    public IReadOnlyList<ShardManifestEntry> Shards { get; init; } = [];

    /// <summary>When it was written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
