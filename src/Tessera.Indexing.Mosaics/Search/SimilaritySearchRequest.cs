namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// One similarity search over a viewport. Without <see cref="Threshold"/> or <see cref="TopPercent"/>
/// it is a top-<see cref="K"/> search; with one of them (never both) it returns every pixel that
/// qualifies, best first, at most <see cref="Limit"/> of them, and counts them all in the result's total.
/// </summary>
public sealed record SimilaritySearchRequest
{
    /// <summary>Largest accepted <see cref="K"/>.</summary>
    public const int MaxK = 10_000;

    /// <summary>Largest accepted <see cref="Limit"/>.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>Largest accepted <see cref="NProbe"/>.</summary>
    public const int MaxNProbe = 1 << 16;

    /// <summary>Creates a request for <paramref name="query"/>.</summary>
    /// <param name="query">The query.</param>
    public SimilaritySearchRequest(ViewportQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        Query = query;
    }

    /// <summary>The query.</summary>
    public ViewportQuery Query { get; init; }

    /// <summary>The metric (default cosine).</summary>
    public SimilarityMetric Metric { get; init; } = SimilarityMetric.Cosine;

    /// <summary>Neighbours wanted by a top-k search (1..<see cref="MaxK"/>, default 10).</summary>
    public int K { get; init; } = 10;

    /// <summary>Cosine similarity ≥ T (T in [-1, 1]) or Euclidean distance ≤ T (T ≥ 0).</summary>
    public float? Threshold { get; init; }

    /// <summary>The top P percent (0 &lt; P ≤ 100) most similar pixels.</summary>
    public double? TopPercent { get; init; }

    /// <summary>Most results returned by a threshold or percent search (1..<see cref="MaxLimit"/>, default 1000); the total counts them all.</summary>
    public int Limit { get; init; } = 1000;

    /// <summary>IVF lists visited by FAISS for this query; 0 keeps the index's own setting.</summary>
    public int NProbe { get; init; }

    /// <summary>How to search; <see cref="SearchStrategy.Auto"/> picks the measured best.</summary>
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Auto;

    /// <summary>Also report the viewport's score distribution for the query (always reported for percent searches).</summary>
    public bool IncludeDistribution { get; init; }

    /// <summary>Which question the request asks.</summary>
    public SearchMode Mode => Threshold is not null ? SearchMode.Threshold : TopPercent is not null ? SearchMode.TopPercent : SearchMode.TopK;

    /// <summary>The most matches this search can return: <see cref="K"/> for a top-k search, <see cref="Limit"/> otherwise.</summary>
    public int MaxResults => Mode == SearchMode.TopK ? K : Limit;

    /// <summary>Throws <see cref="ViewportSearchException"/> (<see cref="ViewportSearchErrorKind.InvalidRequest"/>) naming the first bad field.</summary>
    public void Validate()
    {
        if (Query is null)
        {
            throw Invalid("query", "A query is required.");
        }

        if (!Enum.IsDefined(Metric))
        {
            throw Invalid("metric", $"Unknown metric {Metric}.");
        }

        if (!Enum.IsDefined(Strategy))
        {
            throw Invalid("strategy", $"Unknown strategy {Strategy}.");
        }

        if (K is < 1 or > MaxK)
        {
            throw Invalid("k", $"k must be between 1 and {MaxK}; got {K}.");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw Invalid("limit", $"limit must be between 1 and {MaxLimit}; got {Limit}.");
        }

        if (NProbe is < 0 or > MaxNProbe)
        {
            throw Invalid("nprobe", $"nprobe must be between 0 and {MaxNProbe}; got {NProbe}.");
        }

        if (Threshold is not null && TopPercent is not null)
        {
            throw Invalid("threshold", "Give a threshold or a top percent, not both.");
        }

        if (Threshold is { } t)
        {
            if (!float.IsFinite(t))
            {
                throw Invalid("threshold", "The threshold must be a finite number.");
            }

            if (Metric == SimilarityMetric.Cosine && t is < -1f or > 1f)
            {
                throw Invalid("threshold", $"A cosine threshold must be in [-1, 1]; got {t}.");
            }

            if (Metric == SimilarityMetric.Euclidean && t < 0f)
            {
                throw Invalid("threshold", $"A distance threshold must be ≥ 0; got {t}.");
            }
        }

        if (TopPercent is { } p && !(p > 0 && p <= 100))
        {
            throw Invalid("top_percent", $"The top percent must be in (0, 100]; got {p}.");
        }

        if (Mode == SearchMode.TopK && Strategy == SearchStrategy.FaissRangeCandidates)
        {
            throw Invalid("strategy", "A top-k search cannot use range-search candidates.");
        }

        if (Mode != SearchMode.TopK && Strategy == SearchStrategy.FaissTopK)
        {
            throw Invalid("strategy", "A threshold or percent search cannot use FAISS top-k.");
        }

        if (Mode == SearchMode.TopPercent && Strategy == SearchStrategy.FaissRangeCandidates)
        {
            throw Invalid("strategy", "A percent search needs every score: it always scans.");
        }
    }

    private static ViewportSearchException Invalid(string field, string message) =>
        new(ViewportSearchErrorKind.InvalidRequest, message, field);
}
