namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Exact search over every pixel: threshold, top-k and percent searches of a batch in one shared
/// pass of <see cref="ExactScanner"/>, and the score distribution (min, percentiles, max, and the
/// cutoff of a top-percent search) by exact order statistics (<see cref="ExactScanner.SelectRanks(EmbeddingMatrix, ScoringQuery, Func{long, long[]}, int, CancellationToken, double)"/>).
/// </summary>
internal sealed unsafe class ExactSearch(ViewportLayout layout, EmbeddingMatrix matrix, ViewportSearcherOptions options)
{
    /// <summary>Scans once for every query; each keeps its matches passing its threshold (NaN: no threshold), at most <paramref name="limit"/>.</summary>
    public ScanOutcome[] Scan(ScoringQuery[] queries, float[] thresholds, int limit, CancellationToken cancellationToken) =>
        ExactScanner.Scan(matrix, queries, thresholds, limit, options.MaxDegreeOfParallelism, cancellationToken);

    /// <summary>
    /// The distribution of the query's scores over every pixel with data; with <paramref name="topPercent"/>,
    /// also the cutoff of the top P percent. When <paramref name="scanLimit"/> is given, the exact scan at
    /// that cutoff (or at <paramref name="threshold"/>; every row with data when neither is set) keeping its
    /// best <paramref name="scanLimit"/> matches, from the same pass over the rows.
    /// </summary>
    public (ScoreDistribution Distribution, float? Cutoff, ScanOutcome? Outcome) Distribution(ScoringQuery scoring, double? topPercent, float? threshold, int? scanLimit, CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        using var pass = RankPass.Run(matrix, scoring, parallel);
        var (valid, values, _) = ExactScanner.SelectRanks(pass, count => Ranks(count, topPercent, scoring.HigherIsBetter), parallel, fallbackFraction: 0.5);
        if (valid == 0)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"Viewport '{layout.ViewportId}' has no pixel with data.");
        }

        var percentileRanks = 2 * ScoreDistribution.Percents.Length;
        var percentiles = OrderStatistics.Interpolate(valid, ScoreDistribution.Percents, values.AsSpan(0, percentileRanks));

        // The cutoff is the score of the last pixel inside the top P percent.
        float? cutoff = topPercent is null ? null : values[percentileRanks];
        var outcome = scanLimit is { } limit ? pass.Scan(cutoff ?? threshold ?? float.NaN, limit, parallel) : null;
        return (ScoreDistribution.FromPercentiles(valid, percentiles), cutoff, outcome);
    }

    /// <summary>The ranks (ascending, over <paramref name="valid"/> scores) of the percentiles, then of the top-percent cutoff.</summary>
    internal static long[] Ranks(long valid, double? topPercent, bool higherIsBetter)
    {
        var ranks = OrderStatistics.PercentileRanks(valid, ScoreDistribution.Percents);
        if (topPercent is not { } p)
        {
            return ranks;
        }

        var wanted = Math.Clamp((long)Math.Ceiling(p / 100.0 * valid), 1, valid);
        return [.. ranks, higherIsBetter ? valid - wanted : wanted - 1];
    }
}
