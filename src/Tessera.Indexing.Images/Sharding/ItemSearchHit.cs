namespace Tessera.Indexing.Images.Sharding;

/// <summary>One neighbour found in a sharded index: the item id from the id map, its label and score.</summary>
/// <param name="ItemId">The item's id.</param>
/// <param name="Label">Its label (int64, never renumbered).</param>
/// <param name="Score">Inner product (cosine similarity for normalised vectors; larger is closer) or squared L2 distance (smaller is closer).</param>
/// <param name="Shard">The shard object it was found in.</param>
public sealed record ItemSearchHit(string ItemId, long Label, float Score, string Shard);
