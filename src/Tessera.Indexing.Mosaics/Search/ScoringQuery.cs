using System.Runtime.CompilerServices;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// A query prepared for the exact scan of one <see cref="EmbeddingMatrix"/>: the vector in the units
/// the kernels want, the constants that turn the kernels' sums into a score, and what the fast
/// approximate pass needs to bound its error (<see cref="ScoreBounds"/>).
/// Rows whose values are all zero (norm 0) are "no data": their score is NaN and they never match.
/// </summary>
/// <remarks>
/// <para>The exact score of a row comes from <see cref="ScanKernels"/>' deterministic double-precision
/// sums, so it has the same bits on every SIMD path: cosine <c>clamp((float)(Σqr / (‖q‖·‖r‖)), −1, 1)</c>
/// with <c>‖r‖</c> the row's float norm (<c>all_norms.npy</c> or the same kernel on the fly); Euclidean
/// <c>(float)√Σ(q/scale − r)² · scale</c>; Euclidean of unit vectors <c>√max(0, 2 − 2·cosine)</c>.</para>
/// <para>The approximate pass gives, per row, an interval certain to contain that exact score (see
/// <see cref="ScoreBounds"/>); a threshold outside the interval decides the row without rescoring.</para>
/// </remarks>
internal sealed unsafe partial class ScoringQuery
{
    private readonly float[] _kernelVector;
    private readonly double[] _kernelVectorWide;
    private readonly float _queryNorm;
    private readonly double _querySquares;
    private readonly float _scale;
    private readonly Mode _mode;
    private readonly Int8QuantizedVector? _quantized;

    /// <summary>Bound on |exact Σqr − approximate Σqr| per unit of row norm (quantisation or float rounding); set once, in the constructor (the <see cref="Refined"/> copy's is its own).</summary>
    private double _dotErrorPerNorm;

    /// <param name="indexedVector">The query in the indexed space (what FAISS holds).</param>
    /// <param name="metric">The metric.</param>
    /// <param name="matrix">The rows to be scanned.</param>
    /// <param name="normalizeRows">Rows are unit-normalised before comparing (the index holds normalised vectors but the rows are stored raw).</param>
    /// <param name="level">Vector width of the kernels (tests force narrower paths); the machine's best when null.</param>
    /// <param name="integerPath">Integer dot-product path of the uint8 approximate pass; the machine's best when null.</param>
    public ScoringQuery(ReadOnlySpan<float> indexedVector, SimilarityMetric metric, in EmbeddingMatrix matrix, bool normalizeRows, SimdLevel? level = null, IntegerDotPath? integerPath = null)
    {
        if (indexedVector.Length != matrix.Dimension)
        {
            throw new ArgumentException($"The query has {indexedVector.Length} values; the viewport's embeddings have {matrix.Dimension}.", nameof(indexedVector));
        }

        Metric = metric;
        ElementType = matrix.ElementType;
        Level = Simd.Clamp(level ?? Simd.Best);
        IntegerPath = Simd.Clamp(integerPath ?? Simd.BestIntegerDotPath);
        _scale = matrix.Scale;
        var d = indexedVector.Length;
        if (metric == SimilarityMetric.Cosine || normalizeRows)
        {
            _kernelVector = indexedVector.ToArray();
            _mode = metric == SimilarityMetric.Cosine ? Mode.Cosine : Mode.EuclideanOfUnitVectors;
        }
        else
        {
            // Σ(q − s·scale)² = scale² · Σ(q/scale − s)²: the kernel compares with the stored values directly.
            _kernelVector = new float[d];
            for (var i = 0; i < d; i++)
            {
                _kernelVector[i] = indexedVector[i] / _scale;
            }

            _mode = Mode.Euclidean;
        }

        _kernelVectorWide = new double[d];
        for (var i = 0; i < d; i++)
        {
            _kernelVectorWide[i] = _kernelVector[i];
        }

        fixed (float* q = _kernelVector)
        {
            _querySquares = ScanKernels.Dot(q, q, d, SimdLevel.Scalar);
        }

        // ScanKernels.Norm's own value: the float square root of the same exact sum.
        _queryNorm = (float)Math.Sqrt(_querySquares);

        if (_mode != Mode.Euclidean && (!(_queryNorm > 0) || !float.IsFinite(_queryNorm)))
        {
            throw new ArgumentException("The query vector is all zeros (no data) or not finite; a cosine score is undefined.", nameof(indexedVector));
        }

        if (ElementType == EmbeddingElementType.UInt8)
        {
            _quantized = new Int8QuantizedVector(_kernelVector, ScanKernels.MaxCode(IntegerPath));
            _dotErrorPerNorm = _quantized.ErrorNorm;
            (_residual, var refinedErrorPerNorm) = Residual(_kernelVector, _quantized, ScanKernels.MaxCode(IntegerPath));

            // The same query but for the approximate pass: a copy of every field, then both codes.
            var refined = (ScoringQuery)MemberwiseClone();
            refined._dotErrorPerNorm = refinedErrorPerNorm;
            refined._twoCodes = true;
            refined.Refined = refined;
            Refined = refined;
        }
        else
        {
            // |fl(Σqr) − Σqr| ≤ f·Σ|qᵢrᵢ| ≤ f·‖q‖·‖r‖ (Cauchy–Schwarz); ‖q‖ taken from the exact double sum.
            _dotErrorPerNorm = ScanKernels.FloatDotErrorFactor(d) * Math.Sqrt(_querySquares) * (1 + Math.ScaleB(1.0, -30));
            Refined = this;
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

    /// <summary>The vector width the kernels run with.</summary>
    public SimdLevel Level { get; }

    /// <summary>The integer dot-product path of the uint8 approximate pass.</summary>
    public IntegerDotPath IntegerPath { get; }

    /// <summary>
    /// This query with an approximate pass about 127 times tighter for uint8 rows: two int8 codes, the
    /// second quantising the first one's error (twice the integer work, on rows already in cache); the
    /// query itself for float32 rows. Exact scores are the same.
    /// </summary>
    public ScoringQuery Refined { get; private set; }

    /// <summary>Whether <see cref="SurelyFails"/> compares the approximate dot product with <c>cutoff × norm</c> (cosine and Euclidean of unit vectors), which <see cref="ExactScanner"/> also tests eight rows at a time.</summary>
    public bool FailTestIsLinear => _mode != Mode.Euclidean;

    /// <summary>Whether higher scores are better (cosine) or lower (Euclidean).</summary>
    public bool HigherIsBetter => Metric == SimilarityMetric.Cosine;

    /// <summary>Whether <paramref name="score"/> passes <paramref name="threshold"/> (never for NaN).</summary>
    public bool Passes(float score, float threshold) => HigherIsBetter ? score >= threshold : score <= threshold;

    /// <summary>Whether <paramref name="a"/> is a better score than <paramref name="b"/>.</summary>
    public bool Better(float a, float b) => HigherIsBetter ? a > b : a < b;

    /// <summary>Exact scores of <paramref name="scores"/>.Length rows starting at <paramref name="firstRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ScoreRows(in EmbeddingMatrix matrix, long firstRow, Span<float> scores)
    {
        var p = matrix.RowPointer(firstRow);
        for (var i = 0; i < scores.Length; i++, p += matrix.RowBytes)
        {
            var norm = matrix.Norms != null ? matrix.Norms[firstRow + i] : RowNorm(matrix, p);
            scores[i] = ExactScore(matrix, p, norm);
        }
    }

    /// <summary>The norm of the row at <paramref name="row"/>, as <c>all_norms.npy</c> stores it.</summary>
    public float RowNorm(in EmbeddingMatrix matrix, byte* row) =>
        matrix.ElementType == EmbeddingElementType.Float32 ? ScanKernels.Norm((float*)row, matrix.Dimension, Level) : ScanKernels.Norm(row, matrix.Dimension);

    /// <summary>The norms of <paramref name="count"/> rows from <paramref name="firstRow"/> (<see cref="RowNorm"/> of each) into <paramref name="norms"/>.</summary>
    public void RowNorms(in EmbeddingMatrix matrix, long firstRow, int count, float* norms)
    {
        var rows = matrix.RowPointer(firstRow);
        if (matrix.ElementType == EmbeddingElementType.Float32)
        {
            ScanKernels.Norms((float*)rows, matrix.Dimension, count, norms, Level);
        }
        else
        {
            ScanKernels.Norms(rows, matrix.Dimension, count, norms);
        }
    }

    /// <summary>The exact score of one row whose norm is <paramref name="norm"/> (NaN when 0: no data).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float ExactScore(in EmbeddingMatrix matrix, byte* row, float norm)
    {
        if (norm == 0f)
        {
            return float.NaN;
        }

        var n = matrix.Dimension;
        fixed (double* q = _kernelVectorWide)
        {
            if (_mode == Mode.Euclidean)
            {
                var squared = matrix.ElementType == EmbeddingElementType.Float32
                    ? ScanKernels.SquaredDistance(q, (float*)row, n, Level)
                    : ScanKernels.SquaredDistance(q, row, n, Level);
                return EuclideanScore(squared);
            }

            var dot = matrix.ElementType == EmbeddingElementType.Float32
                ? ScanKernels.Dot(q, (float*)row, n, Level)
                : ScanKernels.Dot(q, row, n, Level);
            return CosineBasedScore(CosineOf(dot, norm));
        }
    }

    /// <summary>
    /// The approximate dot products <c>Σ qᵢ·rᵢ</c> (kernel units) of <paramref name="count"/> rows from
    /// <paramref name="firstRow"/>: integer dot products against the int8 codes for uint8 rows, one FMA
    /// stream for float32 rows (both codes for a <see cref="Refined"/> query). Feed them to
    /// <see cref="ScoreBounds"/>. <paramref name="integerScratch"/> holds <c>2 × count</c> ints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApproximateDots(in EmbeddingMatrix matrix, long firstRow, int count, float* dots, int* integerScratch)
    {
        if (_twoCodes)
        {
            TwoCodeDots(matrix, firstRow, count, dots, integerScratch, integerScratch + count);
            return;
        }

        var p = matrix.RowPointer(firstRow);
        if (matrix.ElementType == EmbeddingElementType.Float32)
        {
            fixed (float* q = _kernelVector)
            {
                ScanKernels.FloatDots(q, (float*)p, matrix.Dimension, count, dots, Level);
            }

            return;
        }

        fixed (sbyte* codes = _quantized!.Codes)
        {
            ScanKernels.IntegerDots(codes, p, matrix.Dimension, count, integerScratch, IntegerPath);
        }

        // K converts exactly below 2²⁴ (any d ≤ 518), then the scale multiplies once: two roundings at most.
        var scale = _quantized.Scale;
        for (var j = 0; j < count; j++)
        {
            dots[j] = integerScratch[j] * scale;
        }
    }

    /// <summary>
    /// An interval certain to contain the exact score of a row with norm <paramref name="norm"/> (&gt; 0)
    /// whose approximate dot product is <paramref name="approximateDot"/>: <c>Worst</c> and <c>Best</c>
    /// in the metric's order (for cosine Worst ≤ exact ≤ Best; for Euclidean Best ≤ exact ≤ Worst).
    /// </summary>
    /// <remarks>
    /// Derivation. Let <c>D</c> be the exact dot product and <c>A</c> the approximate one. For uint8 rows
    /// <c>A = fl(fl(K)·Scale)</c> (at most two roundings: relative 2⁻²³) and
    /// <c>|D − Scale·K| ≤ ‖e‖·‖r‖</c> (<see cref="Int8QuantizedVector"/>); for float32 rows
    /// <c>|D − A| ≤ f·‖q‖·‖r‖</c> (<see cref="ScanKernels.FloatDotErrorFactor"/>). The true norm ‖r‖ is within
    /// a relative 2⁻²⁴ of the stored float norm <c>N</c> (one correctly rounded square root of an
    /// exact-or-double sum), so <c>|D − A| ≤ E·N·(1 + 2⁻²²) + 2⁻²³·|A| =: δ</c> with
    /// <c>E = _dotErrorPerNorm</c>. The exact path computes <c>D</c> in double with a relative error below
    /// <c>d·2⁻⁵³</c> of <c>‖q‖·‖r‖</c>, covered by the extra 2⁻³⁰ terms below.
    /// Cosine: <c>x = D/(‖q‖·N)</c> lies in <c>[(A − δ)/(‖q‖N), (A + δ)/(‖q‖N)]</c> widened by 2⁻³⁰; the
    /// exact score is <c>g(x)</c> for a non-decreasing <c>g</c> (float conversion, clamp), and the
    /// Euclidean-of-unit-vectors score is non-increasing in <c>x</c>, so the ends of the interval bound it.
    /// Euclidean: <c>Σ(q − r)² = ‖q‖² − 2D + ‖r‖²</c> with <c>|‖r‖² − N²| ≤ 2⁻²¹·N²</c>, so it lies within
    /// <c>2δ + 2⁻²¹·N² + 2⁻³⁰·(‖q‖² + 2|A| + N²)</c> of <c>‖q‖² − 2A + N²</c>; the score
    /// <c>(float)√x · scale</c> is non-decreasing in <c>x</c>. All of this arithmetic runs in double, whose
    /// rounding (2⁻⁵³ per step) the 2⁻³⁰ terms absorb many times over.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Worst, float Best) ScoreBounds(float approximateDot, float norm)
    {
        double a = approximateDot;
        double n = norm;
        var slack = Math.ScaleB(1.0, -30);
        if (_mode == Mode.Euclidean)
        {
            var (centre, spread) = SquaredDistanceRange(a, n, _dotErrorPerNorm);
            var low = Math.Max(0, centre - spread);
            var high = centre + spread;
            return (EuclideanScore(high), EuclideanScore(low));
        }

        var delta = DotError(a, n, _dotErrorPerNorm);
        var denominator = _queryNorm * n;
        var lowCosine = ((a - delta) / denominator) - slack;
        var highCosine = ((a + delta) / denominator) + slack;
        var worst = CosineBasedScore(Math.Clamp((float)lowCosine, -1f, 1f));
        var best = CosineBasedScore(Math.Clamp((float)highCosine, -1f, 1f));
        return (worst, best);
    }

    /// <summary>
    /// Constants of a cheap, conservative per-row test (<see cref="SurelyFails"/>): a row it flags scores
    /// strictly worse than <paramref name="threshold"/> whatever its exact score. NaN: a test that never flags.
    /// </summary>
    /// <remarks>
    /// It avoids <see cref="ScoreBounds"/>' divisions and conversions for the many rows far from the
    /// threshold, and is never less strict than it. Cosine-based modes: the row fails when
    /// <c>x_hi = (A + δ)/(‖q‖N) + 2⁻³⁰ &lt; x_c</c> (notation of <see cref="ScoreBounds"/>), with
    /// <c>x_c = T − 2⁻²²</c> for cosine (then <c>(float)x_hi &lt; T</c>: a float near T is within 2⁻²⁵ of
    /// any double it rounds from) and <c>x_c = 1 − (T²(1 + 2⁻¹⁸) + 2⁻²²)/2</c> for Euclidean of unit vectors
    /// (then <c>fl(2 − 2·(float)x_hi) &gt; T²(1 + 2⁻¹⁹)</c> and the float square root exceeds T). Multiplied
    /// out: <c>A + 2⁻²³|A| &lt; ((x_c − 2⁻³⁰)·‖q‖ − E(1 + 2⁻²²)) · N</c>. Euclidean: the row fails when the
    /// low end of the squared distance exceeds <c>(T/scale)²(1 + 2⁻¹⁸) + 2⁻²⁰⁰</c>, after which the float
    /// square root times the scale exceeds T. The margins (≥ 2⁻²²) dwarf the double rounding (2⁻⁵²) of
    /// the test itself.
    /// </remarks>
    public double FailCutoff(float threshold)
    {
        if (float.IsNaN(threshold))
        {
            return double.NaN;
        }

        switch (_mode)
        {
            case Mode.Euclidean:
                var t = threshold / (double)_scale;
                return (t * t * (1 + Math.ScaleB(1.0, -18))) + Math.ScaleB(1.0, -200);
            case Mode.Cosine:
                return threshold <= -1f ? double.NaN : DotCutoff(threshold - Math.ScaleB(1.0, -22), -1);
            default:
                var y = ((double)threshold * threshold * (1 + Math.ScaleB(1.0, -18))) + Math.ScaleB(1.0, -22);
                return y >= 4 ? double.NaN : DotCutoff(1 - (y / 2), -1);
        }
    }

    /// <summary>Whether a row with norm <paramref name="norm"/> (&gt; 0) and approximate dot product <paramref name="approximateDot"/> surely fails the threshold <paramref name="cutoff"/> came from (<see cref="FailCutoff"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool SurelyFails(double cutoff, float approximateDot, float norm)
    {
        double a = approximateDot;
        double n = norm;
        var rounding = Math.ScaleB(1.0, -23) * Math.Abs(a);
        if (_mode != Mode.Euclidean)
        {
            return a + rounding < cutoff * n;
        }

        var (centre, spread) = SquaredDistanceRange(a, n, _dotErrorPerNorm);
        return centre - spread > cutoff;
    }

    /// <summary>
    /// Constants of the mirror test, <see cref="SurelyPasses"/>: a row it flags scores at least as well as
    /// <paramref name="threshold"/> whatever its exact score. NaN: a test that never flags.
    /// </summary>
    /// <remarks>
    /// The margins mirror <see cref="FailCutoff"/>'s: cosine passes when <c>x_lo = (A − δ)/(‖q‖N) − 2⁻³⁰ &gt; T + 2⁻²²</c>,
    /// i.e. <c>A − 2⁻²³|A| &gt; ((T + 2⁻²² + 2⁻³⁰)·‖q‖ + E(1 + 2⁻²²)) · N</c>; Euclidean of unit vectors when
    /// <c>x_lo &gt; 1 − (T²(1 − 2⁻¹⁸) − 2⁻²²)/2</c> (then the float score is below T); Euclidean when the high end
    /// of the squared distance is below <c>(T/scale)²(1 − 2⁻¹⁸)</c>.
    /// </remarks>
    public double PassCutoff(float threshold)
    {
        if (float.IsNaN(threshold))
        {
            return double.NaN;
        }

        switch (_mode)
        {
            case Mode.Euclidean:
                var t = threshold / (double)_scale;
                return t * t * (1 - Math.ScaleB(1.0, -18));
            case Mode.Cosine:
                return DotCutoff(threshold + Math.ScaleB(1.0, -22), +1);
            default:
                var y = ((double)threshold * threshold * (1 - Math.ScaleB(1.0, -18))) - Math.ScaleB(1.0, -22);
                return y <= 0 ? double.NaN : DotCutoff(1 - (y / 2), +1);
        }
    }

    /// <summary>Whether a row with norm <paramref name="norm"/> (&gt; 0) and approximate dot product <paramref name="approximateDot"/> surely passes the threshold <paramref name="cutoff"/> came from (<see cref="PassCutoff"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool SurelyPasses(double cutoff, float approximateDot, float norm)
    {
        double a = approximateDot;
        double n = norm;
        var rounding = Math.ScaleB(1.0, -23) * Math.Abs(a);
        if (_mode != Mode.Euclidean)
        {
            return a - rounding > cutoff * n;
        }

        var (centre, spread) = SquaredDistanceRange(a, n, _dotErrorPerNorm);
        return centre + spread < cutoff;
    }

    /// <summary>δ of <see cref="ScoreBounds"/>: a bound on |exact Σqr − <paramref name="a"/>| for a row of norm <paramref name="n"/>.</summary>
    private static double DotError(double a, double n, double errorPerNorm) =>
        (errorPerNorm * n * (1 + Math.ScaleB(1.0, -22))) + (Math.ScaleB(1.0, -23) * Math.Abs(a));

    /// <summary>The squared distance's estimate <c>‖q‖² − 2A + N²</c> and how far the exact value can lie from it (<see cref="ScoreBounds"/>).</summary>
    private (double Centre, double Spread) SquaredDistanceRange(double a, double n, double errorPerNorm)
    {
        var nn = n * n;
        var spread = (2 * DotError(a, n, errorPerNorm)) + (Math.ScaleB(1.0, -21) * nn) + (Math.ScaleB(1.0, -30) * (_querySquares + (2 * Math.Abs(a)) + nn));
        return (_querySquares - (2 * a) + nn, spread);
    }

    /// <summary>A cosine <paramref name="cosine"/> as a cutoff on the approximate dot product per unit of row norm, widened by the bounds: <c>(x ± 2⁻³⁰)·‖q‖ ± E(1 + 2⁻²²)</c> (<paramref name="side"/> −1 to fail, +1 to pass).</summary>
    private double DotCutoff(double cosine, int side) =>
        ((cosine + (side * Math.ScaleB(1.0, -30))) * _queryNorm) + (side * _dotErrorPerNorm * (1 + Math.ScaleB(1.0, -22)));

    private float EuclideanScore(double squared) => (float)Math.Sqrt(squared) * _scale;

    private float CosineOf(double dot, float norm) => Math.Clamp((float)(dot / ((double)_queryNorm * norm)), -1f, 1f);

    private float CosineBasedScore(float cosine) =>
        _mode == Mode.Cosine ? cosine : MathF.Sqrt(MathF.Max(0f, 2f - (2f * cosine)));
}
