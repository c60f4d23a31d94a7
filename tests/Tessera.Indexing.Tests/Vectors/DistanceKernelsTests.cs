using Tessera.Indexing.Testing;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Vectors;

/// <summary>Every SIMD path of the distance kernels agrees with a plain double-precision computation.</summary>
public sealed class DistanceKernelsTests
{
    public static TheoryData<int, int> Levels()
    {
        var data = new TheoryData<int, int>();
        foreach (var level in Simd.Available)
        {
            foreach (var d in new[] { 3, 16, 103, 128 })
            {
                data.Add((int)level, d);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Float_row_scans_match_a_double_precision_reference(int level, int d)
    {
        var (query, rows, n) = Inputs(d, 37);
        var l2 = new float[n];
        var ip = new float[n];

        DistanceKernels.SquaredL2(query, rows, l2, (SimdLevel)level);
        DistanceKernels.InnerProduct(query, rows, ip, (SimdLevel)level);

        for (var i = 0; i < n; i++)
        {
            var row = rows.AsSpan(i * d, d);
            Assert.Equal(TestData.SquaredL2(query, row), l2[i], 1e-3f);
            Assert.Equal(TestData.Dot(query, row), ip[i], 1e-3f);
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Byte_row_scans_match_the_scaled_float_rows(int level, int d)
    {
        var random = new Random(d);
        const int n = 41;
        var query = Enumerable.Range(0, d).Select(_ => (float)random.NextDouble()).ToArray();
        var bytes = new byte[n * d];
        random.NextBytes(bytes);
        var scaled = bytes.Select(b => b / 255f).ToArray();
        var l2 = new float[n];
        var ip = new float[n];

        DistanceKernels.SquaredL2(query, bytes, 1f / 255, l2, (SimdLevel)level);
        DistanceKernels.InnerProduct(query, bytes, 1f / 255, ip, (SimdLevel)level);

        for (var i = 0; i < n; i++)
        {
            var row = scaled.AsSpan(i * d, d);
            Assert.Equal(TestData.SquaredL2(query, row), l2[i], 1e-3f);
            Assert.Equal(TestData.Dot(query, row), ip[i], 1e-3f);
        }
    }

    [Fact]
    public void Pairwise_kernels_and_norms_match_the_reference()
    {
        var (query, rows, n) = Inputs(103, 5);
        var norms = new float[n];

        DistanceKernels.SquaredNorms(rows, 103, norms);

        for (var i = 0; i < n; i++)
        {
            var row = rows.AsSpan(i * 103, 103);
            Assert.Equal(TestData.SquaredL2(query, row), DistanceKernels.SquaredL2(query, row), 1e-3f);
            Assert.Equal(TestData.Dot(query, row), DistanceKernels.InnerProduct(query, row), 1e-3f);
            Assert.Equal(TestData.Dot(row, row), norms[i], 1e-3f);
        }
    }

    [Fact]
    public void A_row_buffer_that_is_not_whole_rows_is_refused()
    {
        var query = new float[8];
        Assert.Throws<ArgumentException>(() => DistanceKernels.SquaredL2(query, new float[20], new float[2]));
        Assert.Throws<ArgumentException>(() => DistanceKernels.InnerProduct(query, new float[24], new float[2]));
        Assert.Throws<ArgumentException>(() => DistanceKernels.SquaredL2(query, new float[3], query));
    }

    private static (float[] Query, float[] Rows, int N) Inputs(int d, int n)
    {
        var random = new Random(d * 31 + n);
        var query = Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var rows = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return (query, rows, n);
    }
}
