using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The similarity heat map: the query's score at every pixel, reduced by whole factors to at most
/// the asked size (each image pixel shows the best score it covers), coloured with viridis from the
/// least to the most similar score present.
/// </summary>
internal sealed class HeatmapRenderer(ViewportLayout layout, EmbeddingMatrix matrix, ViewportSearcherOptions options)
{
    public SimilarityHeatmap Render(ScoringQuery scoring, int maxSize, CancellationToken cancellationToken)
    {
        var width = layout.Width;
        var height = layout.Height;
        var (factor, outWidth, outHeight) = PreviewStretch.Reduce(width, height, maxSize);
        var cells = new float[outWidth * outHeight];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, outHeight, parallel, () => new float[factor * width], (outRow, _, rowScores) =>
        {
            var row0 = outRow * factor;
            var rows = Math.Min(factor, height - row0);
            var span = rowScores.AsSpan(0, rows * width);
            scoring.ScoreRows(matrix, (long)row0 * width, span);
            for (var oc = 0; oc < outWidth; oc++)
            {
                var best = float.NaN;
                var col0 = oc * factor;
                var cols = Math.Min(factor, width - col0);
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < cols; c++)
                    {
                        var s = span[(r * width) + col0 + c];
                        if (!float.IsNaN(s) && (float.IsNaN(best) || (scoring.HigherIsBetter ? s > best : s < best)))
                        {
                            best = s;
                        }
                    }
                }

                cells[(outRow * outWidth) + oc] = best;
            }

            return rowScores;
        },
        _ => { });

        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (var s in cells)
        {
            if (!float.IsNaN(s))
            {
                low = MathF.Min(low, s);
                high = MathF.Max(high, s);
            }
        }

        if (float.IsInfinity(low))
        {
            low = high = 0;
        }

        var pixels = new byte[cells.Length * 3];
        var range = high - low;
        for (var i = 0; i < cells.Length; i++)
        {
            var s = cells[i];
            var t = float.IsNaN(s) ? float.NaN : range > 0 ? (s - low) / range : 1f;
            if (!scoring.HigherIsBetter && !float.IsNaN(t))
            {
                t = 1f - t;
            }

            var (r, g, b) = ColorRamp.Viridis(t);
            pixels[i * 3] = r;
            pixels[(i * 3) + 1] = g;
            pixels[(i * 3) + 2] = b;
        }

        // Low/High name the scores at the ramp's ends: least similar first.
        var (rampLow, rampHigh) = scoring.HigherIsBetter ? (low, high) : (high, low);
        return new SimilarityHeatmap(new RgbImage(outWidth, outHeight, pixels), factor, rampLow, rampHigh, scoring.Metric);
    }
}
