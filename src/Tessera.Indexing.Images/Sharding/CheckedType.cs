namespace Tessera.Indexing.Images.Sharding;

/// <summary>What <see cref="ShardTypeChecker"/> found of one type: the shards it could load, and which item each label and id belongs to.</summary>
internal sealed class CheckedType(ShardManifest manifest) : IDisposable
{
    public ShardManifest Manifest { get; } = manifest;

    /// <summary>The shards whose index, ids and batches all agree (searched by the sample check).</summary>
    public List<ShardedIndex.LoadedShard> Loaded { get; } = [];

    /// <summary>Item id → the shard that indexes it.</summary>
    public Dictionary<string, string> Owner { get; } = new(StringComparer.Ordinal);

    /// <summary>Label → item id, from the segments and batch objects.</summary>
    public Dictionary<long, string> Labels { get; } = [];

    public long Vectors { get; set; }

    public void Dispose()
    {
        foreach (var shard in Loaded)
        {
            shard.Index.Dispose();
        }

        Loaded.Clear();
    }
}
