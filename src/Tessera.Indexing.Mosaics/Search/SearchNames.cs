namespace Tessera.Indexing.Mosaics.Search;

/// <summary>The wire names of the search enums (JSON, CSV, CLI options, HTTP), and their parsers.</summary>
public static class SearchNames
{
    /// <summary><c>cosine</c> or <c>l2</c>.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>Its name.</returns>
    public static string Of(SimilarityMetric metric) => metric == SimilarityMetric.Cosine ? "cosine" : "l2";

    /// <summary><c>auto</c>, <c>exact_scan</c>, <c>faiss_top_k</c> or <c>faiss_range_candidates</c>.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <returns>Its name.</returns>
    public static string Of(SearchStrategy strategy) => strategy switch
    {
        SearchStrategy.ExactScan => "exact_scan",
        SearchStrategy.FaissTopK => "faiss_top_k",
        SearchStrategy.FaissRangeCandidates => "faiss_range_candidates",
        _ => "auto",
    };

    /// <summary><c>top_k</c>, <c>threshold</c> or <c>top_percent</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Its name.</returns>
    public static string Of(SearchMode mode) => mode switch
    {
        SearchMode.Threshold => "threshold",
        SearchMode.TopPercent => "top_percent",
        _ => "top_k",
    };

    /// <summary><c>vector</c>, <c>pixel</c> or <c>latlon</c>.</summary>
    /// <param name="kind">The query kind.</param>
    /// <returns>Its name.</returns>
    public static string Of(ViewportQueryKind kind) => kind switch
    {
        ViewportQueryKind.Pixel => "pixel",
        ViewportQueryKind.LatLon => "latlon",
        _ => "vector",
    };

    /// <summary>Parses <c>cosine</c>, <c>l2</c> or <c>euclidean</c> (any case).</summary>
    /// <param name="text">The name.</param>
    /// <param name="metric">The metric.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseMetric(string? text, out SimilarityMetric metric)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "cosine":
                metric = SimilarityMetric.Cosine;
                return true;
            case "l2":
            case "euclidean":
                metric = SimilarityMetric.Euclidean;
                return true;
            default:
                metric = default;
                return false;
        }
    }

    /// <summary>Parses a strategy name (see <see cref="Of(SearchStrategy)"/>; any case, <c>-</c> for <c>_</c>).</summary>
    /// <param name="text">The name.</param>
    /// <param name="strategy">The strategy.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParseStrategy(string? text, out SearchStrategy strategy)
    {
        switch (text?.Trim().ToLowerInvariant().Replace('-', '_'))
        {
            case "auto":
                strategy = SearchStrategy.Auto;
                return true;
            case "exact_scan":
            case "scan":
                strategy = SearchStrategy.ExactScan;
                return true;
            case "faiss_top_k":
            case "faiss":
                strategy = SearchStrategy.FaissTopK;
                return true;
            case "faiss_range_candidates":
            case "range":
                strategy = SearchStrategy.FaissRangeCandidates;
                return true;
            default:
                strategy = default;
                return false;
        }
    }
}
