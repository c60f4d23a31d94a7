namespace Tessera.Indexing.Mosaics.Search;

/// <summary>How a pixel's score against a query is computed, always on the vectors that were indexed.</summary>
public enum SimilarityMetric
{
    /// <summary>Cosine similarity in [-1, 1]; higher is more similar. A threshold keeps scores ≥ T.</summary>
    Cosine,

    /// <summary>Euclidean (not squared) distance; lower is more similar. A threshold keeps distances ≤ T.</summary>
    Euclidean,
}
