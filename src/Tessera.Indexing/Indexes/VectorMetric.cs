namespace Tessera.Indexing.Indexes;

/// <summary>How an index compares vectors. Values match FAISS's <c>MetricType</c>.</summary>
public enum VectorMetric
{
    /// <summary>Inner product: larger is more similar (cosine similarity on L2-normalised vectors).</summary>
    InnerProduct = 0,

    /// <summary>Squared Euclidean distance: smaller is more similar.</summary>
    L2 = 1,
}
