using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Mosaics.Search;

internal static unsafe partial class ExactScanner
{
    /// <summary>Bins of the key histogram that locates each requested rank.</summary>
    private const int Bins = 1 << 16;

    /// <summary>Rows per work item of the passes over the stored keys.</summary>
    private const int KeyBlockRows = 1 << 16;

    /// <summary>
    /// Exact order statistics of the scores of every row with data (ascending score order, ranks
    /// 0-based): the values a full ascending sort of every exact score would put at those ranks.
    /// </summary>
    /// <param name="matrix">The rows.</param>
    /// <param name="query">The query.</param>
    /// <param name="ranks">Given the number of rows with data (&gt; 0), the ranks wanted.</param>
    /// <param name="maxDegreeOfParallelism">Workers.</param>
    /// <param name="cancellationToken">Cancels the passes.</param>
    /// <param name="fallbackFraction">When the rows to rescore exceed this fraction of the rows with data, every row is scored exactly instead (tests force either way).</param>
    /// <returns>The number of rows with data, the value at each rank (empty when no row has data), and whether the bounded passes gave them (false: every row was scored exactly).</returns>
    /// <remarks>
    /// <para>Pass one reads the matrix once, at memory bandwidth, and stores each row's rank key
    /// (<see cref="ScoringQuery.RankKeys"/>, 4 bytes a row): a float within a shared half-width <c>W</c> of
    /// a value that orders rows as their exact scores do. Pass two histograms the keys; the r-th smallest
    /// exact score belongs to a row whose key lies within <c>2W</c> of the bin holding the r-th smallest
    /// key, so a band of bins around it holds every row that can matter. Pass three scores exactly only
    /// the rows whose key falls in a band; the rank's value is the (r − rows below the band)-th smallest
    /// of them.</para>
    /// <para>The result is then proven, not assumed: every row below a band must score strictly less than
    /// the band's values and every row above strictly more (<see cref="ScoringQuery.KeyScoreRange"/> of the
    /// band's edges). When that fails (ties with scores clamped at ±1, a viewport whose scores are nearly all
    /// equal), when keys are not finite, or when the bands would hold most rows, every row is scored
    /// exactly as before. Either way the values are those of sorting every exact score.</para>
    /// </remarks>
    public static (long Valid, float[] Values, bool Bounded) SelectRanks(
        EmbeddingMatrix matrix,
        ScoringQuery query,
        Func<long, long[]> ranks,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken,
        double fallbackFraction = 0.5)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ranks);
        var n = checked((int)matrix.Rows);
        var keys = ArrayPool<float>.Shared.Rent(Math.Max(n, 1));
        try
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
            var stats = StoreKeys(matrix, query, keys, options);
            if (stats.NonFinite)
            {
                return EveryRowExact(matrix, query, keys, n, ranks, maxDegreeOfParallelism, cancellationToken);
            }

            if (stats.Valid == 0)
            {
                return (0, [], true);
            }

            var wanted = ranks(stats.Valid);
            var width = query.KeyHalfWidth(stats);
            var bins = new KeyBins(stats.Min, stats.Max);
            var counts = Histogram(keys, n, bins, options);
            var bands = Bands(wanted, counts, bins, width, Math.Max(Math.Abs(stats.Min), Math.Abs(stats.Max)));
            if (bands.Sum(b => b.Count) > fallbackFraction * stats.Valid)
            {
                return EveryRowExact(matrix, query, keys, n, ranks, maxDegreeOfParallelism, cancellationToken);
            }

            var candidates = Candidates(matrix, query, keys, n, bins, bands, options);
            var values = SelectInBands(query, wanted, bands, candidates, bins, width);
            return values is null
                ? EveryRowExact(matrix, query, keys, n, ranks, maxDegreeOfParallelism, cancellationToken)
                : (stats.Valid, values, true);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(keys);
        }
    }

    /// <summary>Pass one: every row's key into <paramref name="keys"/> (NaN: no data) and their statistics.</summary>
    private static RankKeyStats StoreKeys(EmbeddingMatrix matrix, ScoringQuery query, float[] keys, ParallelOptions options)
    {
        var chunks = (int)((matrix.Rows + ChunkRows - 1) / ChunkRows);
        var total = RankKeyStats.Empty;
        var gate = new object();
        Parallel.For(
            0,
            chunks,
            options,
            () => (State: new WorkerState([query], 0), Stats: RankKeyStats.Empty),
            (chunk, _, local) =>
            {
                var first = (long)chunk * ChunkRows;
                var count = (int)Math.Min(ChunkRows, matrix.Rows - first);
                var norms = local.State.RowNorms(matrix, query, first, count);
                fixed (float* dots = local.State.Dots)
                fixed (int* integers = local.State.Integers)
                fixed (int* residuals = local.State.ResidualIntegers)
                fixed (float* target = &keys[first])
                {
                    query.RefinedDots(matrix, first, count, dots, integers, residuals);
                    query.RankKeys(count, dots, norms, target, ref local.Stats);
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    total.Merge(local.Stats);
                }
            });
        return total;
    }

    /// <summary>Pass two, over the stored keys: how many rows with data fall in each bin.</summary>
    private static long[] Histogram(float[] keys, int n, KeyBins bins, ParallelOptions options)
    {
        var counts = new long[Bins];
        var gate = new object();
        Parallel.For(
            0,
            (n + KeyBlockRows - 1) / KeyBlockRows,
            options,
            () => new int[Bins],
            (block, _, local) =>
            {
                var end = Math.Min(n, (block + 1) * KeyBlockRows);
                for (var i = block * KeyBlockRows; i < end; i++)
                {
                    var key = keys[i];
                    if (!float.IsNaN(key))
                    {
                        local[bins.Bin(key)]++;
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var b = 0; b < Bins; b++)
                    {
                        counts[b] += local[b];
                    }
                }
            });
        return counts;
    }

    /// <summary>
    /// For each rank the bin of the rank's key widened by <c>2W</c> (plus two bins and four float steps
    /// of the largest key, against rounding) on either side; overlapping spans merged into disjoint bands.
    /// </summary>
    private static List<Band> Bands(long[] ranks, long[] counts, KeyBins bins, double width, double largestKey)
    {
        var floatStep = MathF.BitIncrement((float)largestKey) - (double)(float)largestKey;
        var margin = (int)Math.Min(Bins, Math.Ceiling(((2 * width) + (4 * floatStep)) * bins.Inverse) + 2);
        var cumulative = new long[Bins + 1];
        for (var b = 0; b < Bins; b++)
        {
            cumulative[b + 1] = cumulative[b] + counts[b];
        }

        var spans = new List<(int From, int To, int Rank)>();
        for (var j = 0; j < ranks.Length; j++)
        {
            // The bin holding the rank: cumulative[bin] ≤ rank < cumulative[bin + 1].
            int low = 0, high = Bins;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (cumulative[mid + 1] > ranks[j])
                {
                    high = mid;
                }
                else
                {
                    low = mid + 1;
                }
            }

            var bin = low;
            spans.Add((Math.Max(0, bin - margin), Math.Min(Bins - 1, bin + margin), j));
        }

        spans.Sort((a, b) => a.From.CompareTo(b.From));
        var bands = new List<Band>();
        foreach (var (from, to, rank) in spans)
        {
            if (bands.Count > 0 && from <= bands[^1].To + 1)
            {
                bands[^1].To = Math.Max(bands[^1].To, to);
                bands[^1].Ranks.Add(rank);
            }
            else
            {
                bands.Add(new Band { From = from, To = to, Ranks = [rank] });
            }
        }

        foreach (var band in bands)
        {
            band.Below = cumulative[band.From];
            band.Count = cumulative[band.To + 1] - cumulative[band.From];
        }

        return bands;
    }

    /// <summary>Pass three, over the stored keys: the exact score of every row whose key falls in a band, per band.</summary>
    private static float[][] Candidates(EmbeddingMatrix matrix, ScoringQuery query, float[] keys, int n, KeyBins bins, List<Band> bands, ParallelOptions options)
    {
        var groups = bands.Count;

        // In positions (key − min)·inverse: bin ≥ From ⇔ position ≥ From, bin ≤ To ⇔ position < To + 1
        // (the clamped first and last bins take everything beyond them).
        var lows = new float[groups];
        var highs = new float[groups];
        for (var g = 0; g < groups; g++)
        {
            lows[g] = bands[g].From == 0 ? float.NegativeInfinity : bands[g].From;
            highs[g] = bands[g].To == Bins - 1 ? float.PositiveInfinity : bands[g].To + 1;
        }

        var lists = new List<float>[groups];
        for (var g = 0; g < groups; g++)
        {
            lists[g] = [];
        }

        var gate = new object();
        Parallel.For(
            0,
            (n + KeyBlockRows - 1) / KeyBlockRows,
            options,
            () => Enumerable.Range(0, groups).Select(_ => new List<float>()).ToArray(),
            (block, _, local) =>
            {
                var end = Math.Min(n, (block + 1) * KeyBlockRows);
                var i = block * KeyBlockRows;
                fixed (float* k = keys)
                {
                    if (Vector256.IsHardwareAccelerated)
                    {
                        var min = Vector256.Create(bins.Min);
                        var inverse = Vector256.Create(bins.Inverse);
                        for (; i + 8 <= end; i += 8)
                        {
                            var position = (Vector256.Load(k + i) - min) * inverse;
                            var inside = Vector256<float>.Zero;
                            for (var g = 0; g < groups; g++)
                            {
                                inside |= Vector256.GreaterThanOrEqual(position, Vector256.Create(lows[g])) & Vector256.LessThan(position, Vector256.Create(highs[g]));
                            }

                            var mask = inside.ExtractMostSignificantBits();
                            while (mask != 0)
                            {
                                var lane = System.Numerics.BitOperations.TrailingZeroCount(mask);
                                mask &= mask - 1;
                                AddCandidate(matrix, query, k, i + lane, bins, bands, local);
                            }
                        }
                    }

                    for (; i < end; i++)
                    {
                        AddCandidate(matrix, query, k, i, bins, bands, local);
                    }
                }

                return local;
            },
            local =>
            {
                lock (gate)
                {
                    for (var g = 0; g < groups; g++)
                    {
                        lists[g].AddRange(local[g]);
                    }
                }
            });

        return [.. lists.Select(l => l.ToArray())];
    }

    /// <summary>Scores row <paramref name="row"/> exactly into its band's list when its key falls in a band.</summary>
    private static void AddCandidate(in EmbeddingMatrix matrix, ScoringQuery query, float* keys, int row, KeyBins bins, List<Band> bands, List<float>[] lists)
    {
        var key = keys[row];
        if (float.IsNaN(key))
        {
            return;
        }

        var bin = bins.Bin(key);
        for (var g = 0; g < bands.Count; g++)
        {
            if (bin >= bands[g].From && bin <= bands[g].To)
            {
                var p = matrix.RowPointer(row);
                var norm = matrix.Norms != null ? matrix.Norms[row] : query.RowNorm(matrix, p);
                lists[g].Add(query.ExactScore(matrix, p, norm));
                return;
            }
        }
    }

    /// <summary>
    /// Each rank's value among its band's exact scores, once proven: the rows below the band score
    /// strictly less than the band's smallest value and the rows above strictly more. Null when a band
    /// cannot prove its values (the caller scores every row instead).
    /// </summary>
    private static float[]? SelectInBands(ScoringQuery query, long[] wanted, List<Band> bands, float[][] candidates, KeyBins bins, double width)
    {
        var values = new float[wanted.Length];
        for (var g = 0; g < bands.Count; g++)
        {
            var band = bands[g];
            var scores = candidates[g];
            if (scores.Length != band.Count || scores.Any(float.IsNaN))
            {
                return null;
            }

            var local = new long[band.Ranks.Count];
            for (var j = 0; j < local.Length; j++)
            {
                local[j] = wanted[band.Ranks[j]] - band.Below;
                if (local[j] < 0 || local[j] >= scores.Length)
                {
                    return null;
                }
            }

            var selected = OrderStatistics.Select(scores, local);
            var smallest = selected.Min();
            var largest = selected.Max();

            // Keys of rows below the band are under Min + (From + 1/16)/inverse, of rows above it at least
            // Min + (To + 1 − 1/16)/inverse, whatever the float rounding of their bin (< 2⁻⁶ of a bin).
            if (band.From > 0 && !(query.KeyScoreRange(bins.Edge(band.From + (1.0 / 16)), width).High < smallest))
            {
                return null;
            }

            if (band.To < Bins - 1 && !(query.KeyScoreRange(bins.Edge(band.To + 1 - (1.0 / 16)), width).Low > largest))
            {
                return null;
            }

            for (var j = 0; j < local.Length; j++)
            {
                values[band.Ranks[j]] = selected[j];
            }
        }

        return values;
    }

    /// <summary>The former path: every row's exact score into <paramref name="scores"/>, the rows with data kept, then quickselect.</summary>
    private static (long Valid, float[] Values, bool Bounded) EveryRowExact(EmbeddingMatrix matrix, ScoringQuery query, float[] scores, int n, Func<long, long[]> ranks, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ComputeScores(matrix, query, scores, maxDegreeOfParallelism, cancellationToken);
        var valid = 0;
        for (var i = 0; i < n; i++)
        {
            var s = scores[i];
            if (!float.IsNaN(s))
            {
                scores[valid++] = s;
            }
        }

        return valid == 0 ? (0, [], false) : (valid, OrderStatistics.Select(scores.AsSpan(0, valid), ranks(valid)), false);
    }

    /// <summary>Linear bins over the keys' range: the bin is non-decreasing in the key whatever the float rounding.</summary>
    private readonly struct KeyBins
    {
        public KeyBins(float min, float max)
        {
            Min = min;
            var inverse = max > min ? Bins / ((double)max - min) : 0;
            Inverse = inverse is > 0 and < 1e30 ? (float)inverse : 0f;
        }

        public float Min { get; }

        public float Inverse { get; }

        /// <summary>The bin of a key that is not NaN.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Bin(float key)
        {
            var position = (key - Min) * Inverse;
            return position >= Bins - 1 ? Bins - 1 : position > 0 ? (int)position : 0;
        }

        /// <summary>The key at a position (in bins) from the range's start.</summary>
        public double Edge(double position) => Min + (position / Inverse);
    }

    private sealed class Band
    {
        public int From { get; set; }

        public int To { get; set; }

        /// <summary>Rows with data in bins below the band.</summary>
        public long Below { get; set; }

        /// <summary>Rows with data in the band's bins.</summary>
        public long Count { get; set; }

        public required List<int> Ranks { get; init; }
    }
}
