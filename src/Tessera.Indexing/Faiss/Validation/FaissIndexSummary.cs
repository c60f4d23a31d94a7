namespace Tessera.Indexing.Faiss.Validation;

/// <summary>What <see cref="FaissIndexValidator"/> found in a well-formed index.</summary>
/// <param name="Structure">The index types from the outside in, for example <c>IxM2 &gt; IwPQ &gt; IxF2</c>.</param>
/// <param name="Dimension">The outer index's dimension.</param>
/// <param name="Count">The outer index's vector count.</param>
/// <param name="Metric">The outer index's metric (0 inner product, 1 L2).</param>
/// <param name="IsTrained">Whether the outer index is trained.</param>
/// <param name="EstimatedBytes">Memory FAISS's reader will allocate for it (saturating).</param>
internal sealed record FaissIndexSummary(string Structure, int Dimension, long Count, int Metric, bool IsTrained, long EstimatedBytes);
