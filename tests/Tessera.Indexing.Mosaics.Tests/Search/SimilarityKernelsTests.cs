using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Mosaics.Tests.Search;

public sealed class SimilarityKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(128)]
    [InlineData((6 * 16) + 7)]
    public void Fused_kernels_give_the_sums_a_plain_loop_gives(int n)
    {
        var random = new Random(n);
        var q = new float[n];
        var rf = new float[n];
        var rb = new byte[n];
        for (var i = 0; i < n; i++)
        {
            q[i] = (float)(random.NextDouble() * 2) - 1;
            rf[i] = (float)random.NextDouble();
            rb[i] = (byte)random.Next(256);
        }

        double dotF = 0, sqF = 0, diffF = 0, dotB = 0, sqB = 0, diffB = 0;
        for (var i = 0; i < n; i++)
        {
            dotF += (double)q[i] * rf[i];
            sqF += (double)rf[i] * rf[i];
            diffF += ((double)q[i] - rf[i]) * ((double)q[i] - rf[i]);
            dotB += (double)q[i] * rb[i];
            sqB += (double)rb[i] * rb[i];
            diffB += ((double)q[i] - rb[i]) * ((double)q[i] - rb[i]);
        }

        var (d1, s1) = SimilarityKernels.DotAndSquares(q, rf);
        var (e1, t1) = SimilarityKernels.DiffAndSquares(q, rf);
        var (d2, s2) = SimilarityKernels.DotAndSquares(q, rb);
        var (e2, t2) = SimilarityKernels.DiffAndSquares(q, rb);
        Assert.Equal(dotF, d1, 1e-4 * Math.Max(1, Math.Abs(dotF)));
        Assert.Equal(sqF, s1, 1e-4 * Math.Max(1, sqF));
        Assert.Equal(diffF, e1, 1e-4 * Math.Max(1, diffF));
        Assert.Equal(sqF, t1, 1e-4 * Math.Max(1, sqF));
        Assert.Equal(dotB, d2, 1e-4 * Math.Max(1, Math.Abs(dotB)));
        Assert.Equal(sqB, s2); // integer sums below 2^24 are exact in float
        Assert.Equal(diffB, e2, 1e-4 * Math.Max(1, diffB));
        Assert.Equal(sqB, t2);
    }

    [Fact]
    public void Order_statistics_equal_a_full_sort()
    {
        var random = new Random(3);
        var values = new float[10_007];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(500) / 7f; // many ties
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        long[] ranks = [0, 5000, 17, 10_006, 9999, 5000, 1];
        var selected = OrderStatistics.Select(values.ToArray(), ranks);
        for (var i = 0; i < ranks.Length; i++)
        {
            Assert.Equal(sorted[ranks[i]], selected[i]);
        }
    }

    [Fact]
    public void Bounded_heap_keeps_the_best_and_breaks_ties_by_pixel()
    {
        var heap = new TopScoreHeap(3, higherIsBetter: false);
        heap.Offer(10, 5f);
        heap.Offer(11, 1f);
        heap.Offer(12, 3f);
        heap.Offer(13, 1f);
        heap.Offer(9, 3f);
        heap.Offer(14, 0.5f);
        var kept = heap.ToSortedArray();
        Assert.Equal([(14L, 0.5f), (11L, 1f), (13L, 1f)], kept);
    }
}
