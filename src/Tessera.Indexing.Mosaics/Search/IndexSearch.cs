using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Searches through the viewport's vector index (any <see cref="IVectorIndex"/>): top-k candidates
/// re-scored exactly, and range-search candidates whose sampling blocks are then scanned exactly.
/// </summary>
internal sealed class IndexSearch(ViewportLayout layout, EmbeddingMatrix matrix, IVectorIndex index, ViewportSearcherOptions options)
{
    public IVectorIndex Index => index;

    /// <summary>The k best pixels among k × <see cref="ViewportSearcherOptions.TopKCandidateFactor"/> index candidates, by exact score.</summary>
    public (long Pixel, float Score)[] TopK(PreparedQuery prepared, int k, int nprobe)
    {
        var candidates = (int)Math.Min((long)k * options.TopKCandidateFactor, Math.Max(1, index.Count));
        var distances = new float[candidates];
        var labels = new long[candidates];
        index.Search(prepared.Vector, candidates, distances, labels, nprobe);
        var heap = new TopScoreHeap(k, prepared.Scoring.HigherIsBetter);
        Span<float> score = stackalloc float[1];
        foreach (var label in labels)
        {
            if (label < 0 || label >= layout.PixelCount)
            {
                continue;
            }

            prepared.Scoring.ScoreRows(matrix, label, score);
            if (!float.IsNaN(score[0]))
            {
                heap.Offer(label, score[0]);
            }
        }

        return heap.ToSortedArray();
    }

    /// <summary>Every pixel passing <paramref name="threshold"/> inside the sampling blocks of the index's range-search hits.</summary>
    public (long Total, (long Pixel, float Score)[] Matches) RangeCandidates(PreparedQuery prepared, float threshold, int limit, int nprobe, CancellationToken cancellationToken)
    {
        var radius = Radius(prepared.Scoring.Metric, threshold);
        var found = index.RangeSearch(prepared.Vector, radius, nprobe);
        var width = layout.Width;
        var height = layout.Height;
        var factor = Math.Max(1, layout.SamplingFactor);
        var blocksPerRow = (width + factor - 1) / factor;
        var blocks = new HashSet<long>();
        foreach (var label in found.Labels)
        {
            if (label >= 0 && label < layout.PixelCount)
            {
                blocks.Add(((label / width / factor) * blocksPerRow) + (label % width / factor));
            }
        }

        var heap = new TopScoreHeap(limit, prepared.Scoring.HigherIsBetter);
        long total = 0;
        Span<float> scores = stackalloc float[factor];
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row0 = (int)(block / blocksPerRow) * factor;
            var col0 = (int)(block % blocksPerRow) * factor;
            var cols = Math.Min(factor, width - col0);
            for (var row = row0; row < Math.Min(row0 + factor, height); row++)
            {
                var first = ((long)row * width) + col0;
                prepared.Scoring.ScoreRows(matrix, first, scores[..cols]);
                for (var c = 0; c < cols; c++)
                {
                    if (prepared.Scoring.Passes(scores[c], threshold))
                    {
                        total++;
                        heap.Offer(first + c, scores[c]);
                    }
                }
            }
        }

        return (total, heap.ToSortedArray());
    }

    /// <summary>The index's range-search radius for a score threshold, widened by <see cref="ViewportSearcherOptions.RangeSearchSlack"/>.</summary>
    private float Radius(SimilarityMetric metric, float threshold)
    {
        var slack = options.RangeSearchSlack;
        var cosine = metric == SimilarityMetric.Cosine;
        if (index.Metric == VectorMetric.InnerProduct && layout.Normalized)
        {
            // Unit vectors: inner product = cosine = 1 − d²/2. The index keeps IP > radius.
            return (cosine ? threshold : 1f - (threshold * threshold / 2f)) - slack;
        }

        if (index.Metric == VectorMetric.L2 && (layout.Normalized || !cosine))
        {
            // The index keeps squared distances < radius.
            var distance = cosine ? MathF.Sqrt(MathF.Max(0f, 2f - (2f * threshold))) : threshold;
            return (distance + slack) * (distance + slack);
        }

        throw new ViewportSearchException(
            ViewportSearchErrorKind.StrategyUnavailable,
            $"Viewport '{layout.ViewportId}''s {index.Metric} index over unnormalised vectors cannot express a {metric} threshold; use the exact scan.",
            "strategy");
    }
}
