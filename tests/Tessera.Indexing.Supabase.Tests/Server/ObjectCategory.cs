namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>What an uploaded object is in the sharded layout, from its name (for the byte counters).</summary>
public enum ObjectCategory
{
    /// <summary>A FAISS shard, <c>…_shard_00001.index</c>.</summary>
    Shard,

    /// <summary>An id map: a shard's segment <c>…_shard_00001.ids.json</c> or a whole <c>…_id_map.json</c>.</summary>
    IdMap,

    /// <summary>A manifest, <c>…_manifest.json</c>.</summary>
    Manifest,

    /// <summary><c>progress.json</c>.</summary>
    Progress,

    /// <summary>Any other object, or a request about no object.</summary>
    Other,
}
