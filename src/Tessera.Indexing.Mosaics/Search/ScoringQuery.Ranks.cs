using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Rank keys: what the order statistics of a top-percent search or a score distribution
/// (<see cref="ExactScanner.SelectRanks(EmbeddingMatrix, ScoringQuery, Func{long, long[]}, int, CancellationToken, double)"/>) sort on before any row is scored exactly.
/// </summary>
/// <remarks>
/// <para>A row's key is a float that orders rows as their exact scores do, up to a half-width <c>W</c>
/// shared by every row of the scan (<see cref="KeyHalfWidth"/>): cosine <c>fl(A/N)</c>, Euclidean of unit
/// vectors <c>−fl(A/N)</c>, Euclidean <c>fl(‖q‖² − 2A + N²)</c>, with <c>A</c> the approximate dot product
/// and <c>N</c> the row's norm; NaN for a row without data. <see cref="KeyScoreRange"/> turns a key into
/// an interval certain to hold the exact score of any row with that key or a smaller (larger) one.</para>
/// <para>uint8 rows are scored here with two int8 codes of the query, the second quantising the first
/// one's error (<see cref="Residual"/>), so <c>W</c> is about 1/127 of the one-code bound the threshold
/// scan uses. The second integer dot product reads the chunk from cache; the pass stays bound by memory.</para>
/// </remarks>
internal sealed unsafe partial class ScoringQuery
{
    /// <summary>The second int8 code: the quantised error of the first (uint8 rows only).</summary>
    private readonly Int8QuantizedVector? _residual;

    /// <summary>Whether <see cref="ApproximateDots"/> uses both codes (the <see cref="Refined"/> query of uint8 rows); set once, when the copy is made.</summary>
    private bool _twoCodes;

    /// <summary>
    /// <see cref="ApproximateDots"/> of a <see cref="Refined"/> query of uint8 rows:
    /// <c>fl(Scale₁·K₁ + Scale₂·K₂)</c>, the products (exact) and the sum in double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void TwoCodeDots(in EmbeddingMatrix matrix, long firstRow, int count, float* dots, int* first, int* second)
    {
        var p = matrix.RowPointer(firstRow);
        fixed (sbyte* codes = _quantized!.Codes)
        fixed (sbyte* residual = _residual!.Codes)
        {
            ScanKernels.IntegerDots(codes, p, matrix.Dimension, count, first, IntegerPath);
            ScanKernels.IntegerDots(residual, p, matrix.Dimension, count, second, IntegerPath);
        }

        double a = _quantized.Scale;
        double b = _residual.Scale;
        var j = 0;
        if (Avx.IsSupported && Level >= SimdLevel.Vector256)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            for (; j + 4 <= count; j += 4)
            {
                var k1 = Avx.ConvertToVector256Double(Sse2.LoadVector128(first + j));
                var k2 = Avx.ConvertToVector256Double(Sse2.LoadVector128(second + j));
                Avx.ConvertToVector128Single((k1 * va) + (k2 * vb)).Store(dots + j);
            }
        }

        for (; j < count; j++)
        {
            dots[j] = (float)((first[j] * a) + (second[j] * b));
        }
    }

    /// <summary>
    /// The rank keys of <paramref name="count"/> consecutive rows (norms
    /// <paramref name="norms"/>, dot products of the <see cref="Refined"/> query in <paramref name="dots"/>)
    /// into <paramref name="keys"/>, and their statistics into <paramref name="stats"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RankKeys(int count, float* dots, float* norms, float* keys, ref RankKeyStats stats)
    {
        var j = 0;
        var euclidean = _mode == Mode.Euclidean;
        var sign = _mode == Mode.EuclideanOfUnitVectors ? -1f : 1f;
        if (Avx.IsSupported && Vector256.IsHardwareAccelerated && Level >= SimdLevel.Vector256)
        {
            var signs = Vector256.Create(sign);
            var squares = Vector256.Create(_querySquares);
            var low = Vector256.Create(float.PositiveInfinity);
            var high = Vector256.Create(float.NegativeInfinity);
            var largestDot = Vector256<float>.Zero;
            var largestNorm = Vector256<float>.Zero;
            var bad = Vector256<float>.Zero;
            long valid = 0;
            for (; j + 8 <= count; j += 8)
            {
                var n = Vector256.Load(norms + j);
                var a = Vector256.Load(dots + j);
                Vector256<float> key;
                if (euclidean)
                {
                    // ‖q‖² − 2A + N² in double, rounded once to float.
                    var aLow = Avx.ConvertToVector256Double(a.GetLower());
                    var aHigh = Avx.ConvertToVector256Double(a.GetUpper());
                    var nLow = Avx.ConvertToVector256Double(n.GetLower());
                    var nHigh = Avx.ConvertToVector256Double(n.GetUpper());
                    key = Vector256.Create(
                        Avx.ConvertToVector128Single(squares - (aLow + aLow) + (nLow * nLow)),
                        Avx.ConvertToVector128Single(squares - (aHigh + aHigh) + (nHigh * nHigh)));
                }
                else
                {
                    key = a / n * signs;
                }

                var data = ~Vector256.Equals(n, Vector256<float>.Zero);
                key = Vector256.ConditionalSelect(data, key, Vector256.Create(float.NaN));
                key.Store(keys + j);

                // x − x is 0 for finite x and NaN for ±∞ and NaN.
                var finite = Vector256.Equals(key - key, Vector256<float>.Zero) & Vector256.Equals(n - n, Vector256<float>.Zero);
                bad |= data & ~finite;
                low = Vector256.Min(low, Vector256.ConditionalSelect(data, key, Vector256.Create(float.PositiveInfinity)));
                high = Vector256.Max(high, Vector256.ConditionalSelect(data, key, Vector256.Create(float.NegativeInfinity)));
                largestDot = Vector256.Max(largestDot, Vector256.ConditionalSelect(data, Vector256.Abs(a), Vector256<float>.Zero));
                largestNorm = Vector256.Max(largestNorm, Vector256.ConditionalSelect(data, n, Vector256<float>.Zero));
                valid += System.Numerics.BitOperations.PopCount(data.ExtractMostSignificantBits());
            }

            stats.NonFinite |= bad.ExtractMostSignificantBits() != 0;
            stats.Valid += valid;
            for (var lane = 0; lane < 8; lane++)
            {
                stats.Min = MathF.Min(stats.Min, low[lane]);
                stats.Max = MathF.Max(stats.Max, high[lane]);
                stats.MaxAbsDot = Math.Max(stats.MaxAbsDot, largestDot[lane]);
                stats.MaxNorm = Math.Max(stats.MaxNorm, largestNorm[lane]);
            }
        }

        for (; j < count; j++)
        {
            double a = dots[j];
            double n = norms[j];
            if (n == 0)
            {
                keys[j] = float.NaN;
                continue;
            }

            var key = euclidean ? (float)(_querySquares - (2 * a) + (n * n)) : (float)a / (float)n * sign;
            keys[j] = key;
            stats.Add(key, n);
            stats.MaxAbsDot = Math.Max(stats.MaxAbsDot, Math.Abs(a));
            stats.NonFinite |= !double.IsFinite(a);
        }
    }

    /// <summary>
    /// The half-width <c>W</c> of the keys of a scan whose statistics are <paramref name="stats"/>: the
    /// exact score of every row lies in <see cref="KeyScoreRange"/> of its key.
    /// </summary>
    /// <remarks>
    /// Cosine-based modes. With <c>D</c> the exact dot product and <c>δ</c> the bound of
    /// <see cref="ScoreBounds"/> (with the <see cref="Refined"/> query's <c>E</c>), <c>|D/N − A/N| ≤ E(1 + 2⁻²²) + 2⁻²³|A|/N</c>,
    /// and the key <c>fl(A/N)</c> errs by at most 2⁻²⁴ of itself, so <c>|D/N − |key|| ≤ E(1 + 2⁻²²) + 2⁻²²·K</c>
    /// with <c>K</c> the largest |key| of the scan. Euclidean: the squared distance lies within the spread of
    /// <see cref="ScoreBounds"/> (increasing in |A| and N, so taken at their largest) of
    /// <c>‖q‖² − 2A + N²</c>, whose float rounding adds 2⁻²³ of the largest |key|. The result is widened
    /// by 2⁻²⁰ of itself against the double rounding of this arithmetic.
    /// </remarks>
    public double KeyHalfWidth(in RankKeyStats stats)
    {
        double keys = Math.Max(Math.Abs(stats.Min), Math.Abs(stats.Max));
        double width;
        if (_mode == Mode.Euclidean)
        {
            width = SquaredDistanceRange(stats.MaxAbsDot, stats.MaxNorm, Refined._dotErrorPerNorm).Spread + (Math.ScaleB(1.0, -23) * keys);
        }
        else
        {
            width = (Refined._dotErrorPerNorm * (1 + Math.ScaleB(1.0, -22))) + (Math.ScaleB(1.0, -22) * keys);
        }

        return width * (1 + Math.ScaleB(1.0, -20));
    }

    /// <summary>
    /// An interval <c>[Low, High]</c> (in ascending score order, whatever the metric) certain to hold the
    /// exact score of a row whose key is <paramref name="key"/>; both ends are non-decreasing in the key, so
    /// <c>High</c> also bounds every row with a smaller key, and <c>Low</c> every row with a larger one.
    /// </summary>
    /// <param name="key">A key, or any value between keys.</param>
    /// <param name="halfWidth">The scan's <see cref="KeyHalfWidth"/>.</param>
    public (float Low, float High) KeyScoreRange(double key, double halfWidth)
    {
        if (_mode == Mode.Euclidean)
        {
            return (EuclideanScore(Math.Max(0, key - halfWidth)), EuclideanScore(key + halfWidth));
        }

        // The cosine x = D/(‖q‖·N) lies in [(D/N − W)/‖q‖, (D/N + W)/‖q‖], widened by 2⁻³⁰ (ScoreBounds).
        var slack = Math.ScaleB(1.0, -30);
        var x = _mode == Mode.Cosine ? key : -key;
        var lowCosine = Math.Clamp((float)(((x - halfWidth) / _queryNorm) - slack), -1f, 1f);
        var highCosine = Math.Clamp((float)(((x + halfWidth) / _queryNorm) + slack), -1f, 1f);
        var worst = CosineBasedScore(lowCosine);
        var best = CosineBasedScore(highCosine);
        return _mode == Mode.Cosine ? (worst, best) : (best, worst);
    }

    /// <summary>
    /// The int8 code of the first code's error <c>e = v − Scale·Codes</c> and the bound on what is left:
    /// the code quantises <c>fl(e)</c>, which is within 2⁻²⁴·‖e‖ of <c>e</c>, so the combined error is at
    /// most the second code's <see cref="Int8QuantizedVector.ErrorNorm"/> plus 2⁻²³ of the first's.
    /// </summary>
    private static (Int8QuantizedVector Residual, double ErrorPerNorm) Residual(float[] vector, Int8QuantizedVector first, int maxCode)
    {
        var errors = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            errors[i] = (float)(vector[i] - ((double)first.Scale * first.Codes[i]));
        }

        var residual = new Int8QuantizedVector(errors, maxCode);
        return (residual, (residual.ErrorNorm + (Math.ScaleB(1.0, -23) * first.ErrorNorm)) * (1 + Math.ScaleB(1.0, -30)));
    }
}

/// <summary>What <see cref="ScoringQuery.RankKeys"/> gathers over a scan: rows with data and the range of their keys.</summary>
internal struct RankKeyStats
{
    /// <summary>Rows with data.</summary>
    public long Valid;

    /// <summary>Smallest key of a row with data.</summary>
    public float Min;

    /// <summary>Largest key of a row with data.</summary>
    public float Max;

    /// <summary>Largest |approximate dot product| (Euclidean keys only).</summary>
    public double MaxAbsDot;

    /// <summary>Largest row norm (Euclidean keys only).</summary>
    public double MaxNorm;

    /// <summary>Whether a row with data has a key or norm that is not finite (its bounds mean nothing).</summary>
    public bool NonFinite;

    /// <summary>Statistics of no row.</summary>
    public static RankKeyStats Empty => new() { Min = float.PositiveInfinity, Max = float.NegativeInfinity };

    /// <summary>Counts one row with data.</summary>
    public void Add(float key, double norm)
    {
        Valid++;
        Min = MathF.Min(Min, key);
        Max = MathF.Max(Max, key);
        MaxNorm = Math.Max(MaxNorm, norm);
        NonFinite |= !float.IsFinite(key) || !double.IsFinite(norm);
    }

    /// <summary>Adds another worker's statistics.</summary>
    public void Merge(in RankKeyStats other)
    {
        Valid += other.Valid;
        Min = MathF.Min(Min, other.Min);
        Max = MathF.Max(Max, other.Max);
        MaxAbsDot = Math.Max(MaxAbsDot, other.MaxAbsDot);
        MaxNorm = Math.Max(MaxNorm, other.MaxNorm);
        NonFinite |= other.NonFinite;
    }
}
