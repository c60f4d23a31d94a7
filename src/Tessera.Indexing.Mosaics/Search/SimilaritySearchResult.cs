namespace Tessera.Indexing.Mosaics.Search;

/// <summary>The answer to one <see cref="SimilaritySearchRequest"/>.</summary>
public sealed class SimilaritySearchResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="query">The query as resolved.</param>
    /// <param name="metric">The metric of the scores.</param>
    /// <param name="mode">The question answered.</param>
    /// <param name="strategy">How it was answered.</param>
    /// <param name="isExact">Whether every pixel of the viewport was considered exactly.</param>
    /// <param name="total">How many pixels qualified (a top-k search: how many were returned).</param>
    /// <param name="threshold">The threshold applied (for a percent search, the score of the last pixel inside the percentage).</param>
    /// <param name="matches">The matches, best first.</param>
    /// <param name="distribution">The score distribution, where asked for.</param>
    /// <param name="elapsed">Wall time of the search.</param>
    public SimilaritySearchResult(
        ResolvedQuery query,
        SimilarityMetric metric,
        SearchMode mode,
        SearchStrategy strategy,
        bool isExact,
        long total,
        float? threshold,
        IReadOnlyList<PixelMatch> matches,
        ScoreDistribution? distribution,
        TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(matches);
        Query = query;
        Metric = metric;
        Mode = mode;
        Strategy = strategy;
        IsExact = isExact;
        Total = total;
        Threshold = threshold;
        Matches = matches;
        Distribution = distribution;
        Elapsed = elapsed;
    }

    /// <summary>The query as resolved (pixel and centre for pixel/point queries).</summary>
    public ResolvedQuery Query { get; }

    /// <summary>The metric of <see cref="PixelMatch.Score"/>.</summary>
    public SimilarityMetric Metric { get; }

    /// <summary>The question answered.</summary>
    public SearchMode Mode { get; }

    /// <summary>How it was answered (never <see cref="SearchStrategy.Auto"/>).</summary>
    public SearchStrategy Strategy { get; }

    /// <summary>Whether every pixel was considered with its exact score (false for FAISS strategies over a sampled or compressed index).</summary>
    public bool IsExact { get; }

    /// <summary>Pixels that qualified; may exceed <see cref="Matches"/>.Count when the limit cut the list.</summary>
    public long Total { get; }

    /// <summary>The threshold applied, or <see langword="null"/> for a top-k search.</summary>
    public float? Threshold { get; }

    /// <summary>The matches, best first (ties: lower pixel index first).</summary>
    public IReadOnlyList<PixelMatch> Matches { get; }

    /// <summary>The query's score distribution over the viewport, where asked for.</summary>
    public ScoreDistribution? Distribution { get; }

    /// <summary>Wall time of the search.</summary>
    public TimeSpan Elapsed { get; }
}
