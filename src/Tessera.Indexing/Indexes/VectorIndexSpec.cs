namespace Tessera.Indexing.Indexes;

/// <summary>What index to create: dimension, FAISS factory string and metric.</summary>
/// <param name="Dimension">Vector dimension (for example 128 for GeoTessera embeddings).</param>
/// <param name="FactoryString">Any FAISS <c>index_factory</c> description (for example <c>IVF1024,PQ64np</c>).</param>
/// <param name="Metric">The metric.</param>
public sealed record VectorIndexSpec(int Dimension, string FactoryString, VectorMetric Metric = VectorMetric.L2)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the spec cannot describe an index.</summary>
    public void Validate()
    {
        if (Dimension <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "The dimension must be positive.");
        }

        if (string.IsNullOrWhiteSpace(FactoryString))
        {
            throw new ArgumentException("The FAISS factory string must not be empty.", nameof(FactoryString));
        }

        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "Unknown metric.");
        }
    }
}
