namespace Tessera.Indexing.Indexes;

/// <summary>One neighbour: the label the vector was added with and its distance (L2) or similarity (inner product).</summary>
/// <param name="Label">The vector's label (id), or -1 where fewer than k neighbours exist.</param>
/// <param name="Distance">Squared L2 distance, or inner product, as FAISS reports it.</param>
public readonly record struct SearchHit(long Label, float Distance);
