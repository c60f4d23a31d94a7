using System.Buffers;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Exact search over every pixel: threshold, top-k and percent searches of a batch in one shared
/// pass of <see cref="ExactScanner"/>, and the score distribution (min, percentiles, max, and the
/// cutoff of a top-percent search) by order statistics.
/// </summary>
internal sealed class ExactSearch(ViewportLayout layout, EmbeddingMatrix matrix, ViewportSearcherOptions options)
{
    /// <summary>Scans once for every query; each keeps its matches passing its threshold (NaN: no threshold), at most <paramref name="limit"/>.</summary>
    public ScanOutcome[] Scan(ScoringQuery[] queries, float[] thresholds, int limit, CancellationToken cancellationToken) =>
        ExactScanner.Scan(matrix, queries, thresholds, limit, options.MaxDegreeOfParallelism, cancellationToken);

    /// <summary>The distribution of the query's scores over every pixel with data, and the cutoff of the top <paramref name="topPercent"/> percent when one is given.</summary>
    public (ScoreDistribution Distribution, float? Cutoff) Distribution(ScoringQuery scoring, ReadOnlySpan<double> topPercent, CancellationToken cancellationToken)
    {
        var n = checked((int)layout.PixelCount);
        var scores = ArrayPool<float>.Shared.Rent(n);
        try
        {
            ExactScanner.ComputeScores(matrix, scoring, scores, options.MaxDegreeOfParallelism, cancellationToken);

            // Drop the pixels without data (NaN), keeping the rest for the order statistics.
            var valid = 0;
            for (var i = 0; i < n; i++)
            {
                var s = scores[i];
                if (!float.IsNaN(s))
                {
                    scores[valid++] = s;
                }
            }

            if (valid == 0)
            {
                throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"Viewport '{layout.ViewportId}' has no pixel with data.");
            }

            var values = scores.AsSpan(0, valid);
            float? cutoff = null;
            if (topPercent.Length == 1)
            {
                // The cutoff is the score of the last pixel inside the top P percent.
                var wanted = Math.Clamp((long)Math.Ceiling(topPercent[0] / 100.0 * valid), 1, valid);
                var rank = scoring.HigherIsBetter ? valid - wanted : wanted - 1;
                cutoff = OrderStatistics.Select(values, [rank])[0];
            }

            var percentiles = OrderStatistics.Percentiles(values, ScoreDistribution.Percents);
            return (ScoreDistribution.FromPercentiles(valid, percentiles), cutoff);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
