using System.Numerics.Tensors;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// A query prepared for the exact scan of one <see cref="EmbeddingMatrix"/>: the vector in the units
/// the kernels want and the constants that turn the kernels' sums into a score.
/// Rows whose values are all zero are "no data": their score is NaN and they never match.
/// </summary>
internal sealed unsafe class ScoringQuery
{
    private readonly float[] _kernelVector;
    private readonly float _queryNorm;
    private readonly float _scale;
    private readonly Mode _mode;

    /// <param name="indexedVector">The query in the indexed space (what FAISS holds).</param>
    /// <param name="metric">The metric.</param>
    /// <param name="matrix">The rows to be scanned.</param>
    /// <param name="normalizeRows">Rows are unit-normalised before comparing (the index holds normalised vectors but the rows are stored raw).</param>
    public ScoringQuery(ReadOnlySpan<float> indexedVector, SimilarityMetric metric, in EmbeddingMatrix matrix, bool normalizeRows)
    {
        if (indexedVector.Length != matrix.Dimension)
        {
            throw new ArgumentException($"The query has {indexedVector.Length} values; the viewport's embeddings have {matrix.Dimension}.", nameof(indexedVector));
        }

        Metric = metric;
        ElementType = matrix.ElementType;
        _scale = matrix.Scale;
        var norm = TensorPrimitives.Norm(indexedVector);
        if (metric == SimilarityMetric.Cosine || normalizeRows)
        {
            if (!(norm > 0) || !float.IsFinite(norm))
            {
                throw new ArgumentException("The query vector is all zeros (no data) or not finite; a cosine score is undefined.", nameof(indexedVector));
            }

            _kernelVector = indexedVector.ToArray();
            _queryNorm = norm;
            _mode = metric == SimilarityMetric.Cosine ? Mode.Cosine : Mode.EuclideanOfUnitVectors;
        }
        else
        {
            // Σ(q − s·scale)² = scale² · Σ(q/scale − s)²: the kernel compares with the stored values directly.
            _kernelVector = new float[indexedVector.Length];
            TensorPrimitives.Divide(indexedVector, _scale, _kernelVector);
            _queryNorm = norm;
            _mode = Mode.Euclidean;
        }
    }

    private enum Mode
    {
        Cosine,
        Euclidean,
        EuclideanOfUnitVectors,
    }

    /// <summary>The metric.</summary>
    public SimilarityMetric Metric { get; }

    /// <summary>The row storage this query was prepared for.</summary>
    public EmbeddingElementType ElementType { get; }

    /// <summary>Whether higher scores are better (cosine) or lower (Euclidean).</summary>
    public bool HigherIsBetter => Metric == SimilarityMetric.Cosine;

    /// <summary>Whether <paramref name="score"/> passes <paramref name="threshold"/> (never for NaN).</summary>
    public bool Passes(float score, float threshold) => HigherIsBetter ? score >= threshold : score <= threshold;

    /// <summary>Scores <paramref name="scores"/>.Length rows starting at <paramref name="firstRow"/>.</summary>
    public void ScoreRows(in EmbeddingMatrix matrix, long firstRow, Span<float> scores)
    {
        var n = matrix.Dimension;
        var rowBytes = matrix.RowBytes;
        var p = matrix.RowPointer(firstRow);
        fixed (float* q = _kernelVector)
        {
            if (matrix.ElementType == EmbeddingElementType.Float32)
            {
                if (_mode == Mode.Euclidean)
                {
                    for (var i = 0; i < scores.Length; i++, p += rowBytes)
                    {
                        SimilarityKernels.DiffAndSquares(q, (float*)p, n, out var diff, out var squares);
                        scores[i] = EuclideanScore(diff, squares);
                    }
                }
                else
                {
                    for (var i = 0; i < scores.Length; i++, p += rowBytes)
                    {
                        SimilarityKernels.DotAndSquares(q, (float*)p, n, out var dot, out var squares);
                        scores[i] = CosineBasedScore(dot, squares);
                    }
                }
            }
            else
            {
                if (_mode == Mode.Euclidean)
                {
                    for (var i = 0; i < scores.Length; i++, p += rowBytes)
                    {
                        SimilarityKernels.DiffAndSquares(q, p, n, out var diff, out var squares);
                        scores[i] = EuclideanScore(diff, squares);
                    }
                }
                else
                {
                    for (var i = 0; i < scores.Length; i++, p += rowBytes)
                    {
                        SimilarityKernels.DotAndSquares(q, p, n, out var dot, out var squares);
                        scores[i] = CosineBasedScore(dot, squares);
                    }
                }
            }
        }
    }

    private float EuclideanScore(float diff, float squares) =>
        squares == 0f ? float.NaN : MathF.Sqrt(diff) * _scale;

    private float CosineBasedScore(float dot, float squares)
    {
        if (squares == 0f)
        {
            return float.NaN;
        }

        // The scale multiplies both the dot product and the row norm, so it cancels.
        var cosine = Math.Clamp(dot / (_queryNorm * MathF.Sqrt(squares)), -1f, 1f);
        return _mode == Mode.Cosine ? cosine : MathF.Sqrt(MathF.Max(0f, 2f - (2f * cosine)));
    }
}
