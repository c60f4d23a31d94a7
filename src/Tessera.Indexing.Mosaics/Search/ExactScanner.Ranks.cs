using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Mosaics.Search;

internal static unsafe partial class ExactScanner
{
    /// <summary>Bins of the key histogram that locates each requested rank.</summary>
    private const int Bins = 1 << 16;

    /// <summary>Rows per work item of the passes over the stored keys.</summary>
    internal const int KeyBlockRows = 1 << 16;

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
    /// <para>Pass one (<see cref="RankPass"/>) reads the matrix once, at memory bandwidth, and stores each
    /// row's approximate dot product (4 bytes a row). Its rank key (<see cref="ScoringQuery.RankKeys"/>, from
    /// the dot product and the norm) is a float within a shared half-width <c>W</c> of a value that orders
    /// rows as their exact scores do. Pass two histograms the keys; the r-th smallest
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
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        using var pass = RankPass.Run(matrix, query, options);
        return SelectRanks(pass, ranks, options, fallbackFraction);
    }

    /// <summary>The ranks' values from a finished <see cref="RankPass"/> (see <see cref="SelectRanks(EmbeddingMatrix, ScoringQuery, Func{long, long[]}, int, CancellationToken, double)"/>).</summary>
    internal static (long Valid, float[] Values, bool Bounded) SelectRanks(RankPass pass, Func<long, long[]> ranks, ParallelOptions options, double fallbackFraction)
    {
        var stats = pass.Stats;
        if (stats.NonFinite)
        {
            return EveryRowExact(pass, ranks, options);
        }

        if (stats.Valid == 0)
        {
            return (0, [], true);
        }

        var wanted = ranks(stats.Valid);
        var width = pass.Query.KeyHalfWidth(stats);
        var bins = new KeyBins(stats.Min, stats.Max);
        var counts = Histogram(pass, bins, options);
        var bands = Bands(wanted, counts, bins, width, Math.Max(Math.Abs(stats.Min), Math.Abs(stats.Max)));
        if (bands.Sum(b => b.Count) > fallbackFraction * stats.Valid)
        {
            return EveryRowExact(pass, ranks, options);
        }

        var candidates = Candidates(pass, bins, bands, options);
        var values = SelectInBands(pass.Query, wanted, bands, candidates, bins, width);
        return values is null ? EveryRowExact(pass, ranks, options) : (stats.Valid, values, true);
    }

    /// <summary>Pass two, over the stored keys: how many rows with data fall in each bin.</summary>
    private static long[] Histogram(RankPass pass, KeyBins bins, ParallelOptions options)
    {
        var counts = new long[Bins];
        ForEachChunk(
            pass.Matrix.Rows,
            KeyBlockRows,
            options,
            () => new BlockScratch(),
            (first, count, local) =>
            {
                local.Bin(pass, first, count, bins);
                var histogram = local.Counts;
                var bin = local.Bins;
                for (var i = 0; i < count; i++)
                {
                    histogram[bin[i]]++;
                }

                return local;
            },
            local =>
            {
                for (var b = 0; b < Bins; b++)
                {
                    counts[b] += local.Counts[b];
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
    private static float[][] Candidates(RankPass pass, KeyBins bins, List<Band> bands, ParallelOptions options)
    {
        var groups = bands.Count;

        // Bin → band + 1 (0: in no band; the extra last slot is the no-data bin).
        var table = new byte[Bins + 1];
        for (var g = 0; g < groups; g++)
        {
            table.AsSpan(bands[g].From, bands[g].To - bands[g].From + 1).Fill((byte)(g + 1));
        }

        var lists = new List<float>[groups];
        for (var g = 0; g < groups; g++)
        {
            lists[g] = [];
        }

        ForEachChunk(
            pass.Matrix.Rows,
            KeyBlockRows,
            options,
            () => (Scratch: new BlockScratch(), Lists: Enumerable.Range(0, groups).Select(_ => new List<float>()).ToArray()),
            (first, count, local) =>
            {
                local.Scratch.Bin(pass, first, count, bins);
                var bin = local.Scratch.Bins;
                for (var i = 0; i < count; i++)
                {
                    var band = table[bin[i]];
                    if (band != 0)
                    {
                        local.Lists[band - 1].Add(pass.ExactScore(first + i));
                    }
                }

                return local;
            },
            local =>
            {
                for (var g = 0; g < groups; g++)
                {
                    lists[g].AddRange(local.Lists[g]);
                }
            });

        return [.. lists.Select(l => l.ToArray())];
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

    /// <summary>The former path: every row's exact score, the rows with data kept, then quickselect.</summary>
    private static (long Valid, float[] Values, bool Bounded) EveryRowExact(RankPass pass, Func<long, long[]> ranks, ParallelOptions options)
    {
        var n = checked((int)pass.Matrix.Rows);
        var scores = ArrayPool<float>.Shared.Rent(Math.Max(n, 1));
        try
        {
            ComputeScores(pass.Matrix, pass.Query, scores, options.MaxDegreeOfParallelism, options.CancellationToken);
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
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
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

        /// <summary>The bin of a key that is not NaN: <c>(key − Min)·Inverse</c> in float, clamped to the bins, truncated.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Bin(float key)
        {
            var position = (key - Min) * Inverse;
            return position >= Bins - 1 ? Bins - 1 : position > 0 ? (int)position : 0;
        }

        /// <summary>The key at a position (in bins) from the range's start.</summary>
        public double Edge(double position) => Min + (position / Inverse);

        /// <summary>The bins of <paramref name="count"/> keys (<see cref="Bin"/>, eight at a time; NaN: the extra bin <see cref="Bins"/>).</summary>
        public void Fill(float* keys, int count, int* bins)
        {
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var min = Vector256.Create(Min);
                var inverse = Vector256.Create(Inverse);
                var top = Vector256.Create((float)(Bins - 1));
                var none = Vector256.Create(Bins);
                for (; i + 8 <= count; i += 8)
                {
                    var key = Vector256.Load(keys + i);
                    var position = Vector256.Min(Vector256.Max((key - min) * inverse, Vector256<float>.Zero), top);
                    var bin = Vector256.ConvertToInt32(position);
                    Vector256.ConditionalSelect(Vector256.Equals(key, key).AsInt32(), bin, none).Store(bins + i);
                }
            }

            for (; i < count; i++)
            {
                bins[i] = float.IsNaN(keys[i]) ? Bins : Bin(keys[i]);
            }
        }
    }

    /// <summary>One worker's buffers for a block of keys and their bins, and its histogram.</summary>
    private sealed class BlockScratch
    {
        private readonly float[] _keys = new float[KeyBlockRows];

        /// <summary>Counts per bin, the last slot for rows without data.</summary>
        public int[] Counts { get; } = new int[ExactScanner.Bins + 1];

        /// <summary>The bins of the block's rows.</summary>
        public int[] Bins { get; } = new int[KeyBlockRows];

        /// <summary>Computes the keys and bins of <paramref name="count"/> rows (at most <see cref="KeyBlockRows"/>) from <paramref name="first"/>.</summary>
        public void Bin(RankPass pass, long first, int count, KeyBins bins)
        {
            fixed (float* keys = _keys)
            fixed (int* target = Bins)
            {
                pass.Keys(first, count, keys);
                bins.Fill(keys, count, target);
            }
        }
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
