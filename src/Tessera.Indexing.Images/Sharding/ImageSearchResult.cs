using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>What <see cref="ShardedImageSearcher.SearchAsync(Storage.IShardStore, string, string, int, CancellationToken)"/> found.</summary>
public sealed record ImageSearchResult
{
    /// <summary>The store's model.</summary>
    public required string Model { get; init; }

    /// <summary>The index type searched.</summary>
    public required string Type { get; init; }

    /// <summary>The index's metric: hits' scores are similarities (inner product) or squared distances (L2).</summary>
    public required VectorMetric Metric { get; init; }

    /// <summary>The hits, best first.</summary>
    public required IReadOnlyList<ItemSearchHit> Hits { get; init; }
}
