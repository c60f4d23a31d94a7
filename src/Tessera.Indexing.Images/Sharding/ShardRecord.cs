using Tessera.Indexing.Faiss;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>One shard of a <see cref="TypeShardSet"/> in memory: its ids, and its FAISS index while it is open.</summary>
internal sealed class ShardRecord
{
    public required int Number { get; init; }

    public required string Name { get; init; }

    public required string SegmentName { get; init; }

    public required long FirstLabel { get; init; }

    public List<string> Ids { get; } = [];

    public List<string?> Brands { get; } = [];

    public List<string> Images { get; } = [];

    /// <summary>The open index (the current shard, or a sealed one not yet uploaded).</summary>
    public FaissIndex? Index { get; set; }

    /// <summary>The vectors in the shard, as FAISS counts them (taken from the index while open).</summary>
    public long NTotal { get; set; }

    public bool Sealed { get; set; }

    /// <summary>Changed since the last upload.</summary>
    public bool Dirty { get; set; }

    /// <summary>The description of the last upload (what the manifest lists).</summary>
    public ShardManifestEntry? Entry { get; set; }
}
