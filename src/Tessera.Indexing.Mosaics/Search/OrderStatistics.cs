namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Exact order statistics of a span of scores by quickselect (expected O(n) per rank), so the
/// percentiles of a 19-million-pixel viewport take a fraction of a full sort.
/// </summary>
internal static class OrderStatistics
{
    /// <summary>
    /// Rearranges <paramref name="values"/> so that each requested rank holds the value a full
    /// ascending sort would put there, and returns those values in the order of <paramref name="ranks"/>.
    /// </summary>
    public static float[] Select(Span<float> values, ReadOnlySpan<long> ranks)
    {
        var order = new int[ranks.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            ArgumentOutOfRangeException.ThrowIfNegative(ranks[i]);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ranks[i], values.Length);
        }

        var sortedRanks = ranks.ToArray();
        Array.Sort(sortedRanks, order);
        var result = new float[ranks.Length];
        var low = 0;
        for (var i = 0; i < sortedRanks.Length; i++)
        {
            var rank = (int)sortedRanks[i];
            SelectInPlace(values, low, values.Length - 1, rank);
            result[order[i]] = values[rank];

            // Everything at or below this rank is ≤ the rest: later (larger) ranks live above it.
            low = rank;
        }

        return result;
    }

    /// <summary>The p-th percentile (0..100) by linear interpolation between order statistics (NumPy's default).</summary>
    public static float[] Percentiles(Span<float> values, ReadOnlySpan<double> percents)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        return Interpolate(values.Length, percents, Select(values, PercentileRanks(values.Length, percents)));
    }

    /// <summary>The ranks <see cref="Interpolate"/> needs for <paramref name="percents"/> of <paramref name="count"/> values: the floor and ceiling of each position.</summary>
    public static long[] PercentileRanks(long count, ReadOnlySpan<double> percents)
    {
        var ranks = new long[percents.Length * 2];
        for (var i = 0; i < percents.Length; i++)
        {
            var position = percents[i] / 100.0 * (count - 1);
            ranks[2 * i] = (long)Math.Floor(position);
            ranks[(2 * i) + 1] = (long)Math.Ceiling(position);
        }

        return ranks;
    }

    /// <summary>The percentiles from the values at <see cref="PercentileRanks"/> (in that order).</summary>
    public static float[] Interpolate(long count, ReadOnlySpan<double> percents, ReadOnlySpan<float> selected)
    {
        var result = new float[percents.Length];
        for (var i = 0; i < percents.Length; i++)
        {
            var position = percents[i] / 100.0 * (count - 1);
            var fraction = position - Math.Floor(position);
            double lower = selected[2 * i];
            double upper = selected[(2 * i) + 1];
            result[i] = (float)(lower + ((upper - lower) * fraction));
        }

        return result;
    }

    private static void SelectInPlace(Span<float> a, int left, int right, int k)
    {
        var budget = 2 * (System.Numerics.BitOperations.Log2((uint)(right - left + 1)) + 1);
        while (right > left)
        {
            if (right - left < 32 || budget-- <= 0)
            {
                // Small or adversarial range: sort it.
                a[left..(right + 1)].Sort();
                return;
            }

            // Median of three as the pivot, then a Hoare partition.
            var mid = left + ((right - left) >> 1);
            if (a[mid] < a[left])
            {
                (a[mid], a[left]) = (a[left], a[mid]);
            }

            if (a[right] < a[left])
            {
                (a[right], a[left]) = (a[left], a[right]);
            }

            if (a[right] < a[mid])
            {
                (a[right], a[mid]) = (a[mid], a[right]);
            }

            var pivot = a[mid];
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            // Now a[left..j] ≤ pivot ≤ a[i..right], and a[j+1..i-1] == pivot.
            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return;
            }
        }
    }
}
