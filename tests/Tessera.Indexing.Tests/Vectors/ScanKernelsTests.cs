using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Vectors;

/// <summary>
/// The scan kernels: the exact ones return the same bits on every SIMD path; the integer ones the same
/// integers on every instruction path; the approximate ones stay within their documented error bounds.
/// </summary>
public sealed unsafe class ScanKernelsTests
{
    private static readonly int[] Dimensions = [1, 7, 8, 37, 64, 100, 128, 130];

    public static TheoryData<int> Levels()
    {
        var data = new TheoryData<int>();
        foreach (var level in Simd.Available)
        {
            data.Add((int)level);
        }

        return data;
    }

    public static TheoryData<int> IntegerPaths()
    {
        var data = new TheoryData<int>();
        foreach (var path in Simd.IntegerDotPaths)
        {
            data.Add((int)path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Exact_float_sums_have_the_same_bits_as_the_scalar_path(int level)
    {
        foreach (var d in Dimensions)
        {
            var (q, rows) = WideRangeFloats(d, 23, seed: d);
            fixed (float* pq = q)
            fixed (float* pr = rows)
            {
                for (var j = 0; j < 23; j++)
                {
                    var r = pr + (j * d);
                    var row = rows.AsSpan(j * d, d);

                    // Against the documented order, written here, so that the Scalar row can fail too.
                    var dot = LaneOrderedSum(q, row, static (a, b) => a * b);
                    var squaredDistance = LaneOrderedSum(q, row, static (a, b) => (a - b) * (a - b));
                    Assert.Equal(dot, ScanKernels.Dot(pq, r, d, (SimdLevel)level));
                    Assert.Equal(squaredDistance, ScanKernels.SquaredDistance(pq, r, d, (SimdLevel)level));
                    Assert.Equal((float)Math.Sqrt(LaneOrderedSum(row, row, static (a, b) => a * b)), ScanKernels.Norm(r, d, (SimdLevel)level));

                    Assert.Equal(ScanKernels.Dot(pq, r, d, SimdLevel.Scalar), ScanKernels.Dot(pq, r, d, (SimdLevel)level));
                    Assert.Equal(ScanKernels.SquaredDistance(pq, r, d, SimdLevel.Scalar), ScanKernels.SquaredDistance(pq, r, d, (SimdLevel)level));
                    Assert.Equal(ScanKernels.Norm(r, d, SimdLevel.Scalar), ScanKernels.Norm(r, d, (SimdLevel)level));
                    fixed (double* wide = q.Select(v => (double)v).ToArray())
                    {
                        Assert.Equal(ScanKernels.Dot(pq, r, d, SimdLevel.Scalar), ScanKernels.Dot(wide, r, d, (SimdLevel)level));
                        Assert.Equal(ScanKernels.SquaredDistance(pq, r, d, SimdLevel.Scalar), ScanKernels.SquaredDistance(wide, r, d, (SimdLevel)level));
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Exact_byte_sums_have_the_same_bits_as_the_scalar_path_and_match_double_references(int level)
    {
        foreach (var d in Dimensions)
        {
            var random = new Random(d);
            var (q, _) = WideRangeFloats(d, 0, seed: d + 1);
            var rows = new byte[23 * d];
            random.NextBytes(rows);
            fixed (float* pq = q)
            fixed (byte* pr = rows)
            {
                for (var j = 0; j < 23; j++)
                {
                    var r = pr + (j * d);
                    var dot = ScanKernels.Dot(pq, r, d, (SimdLevel)level);
                    Assert.Equal(ScanKernels.Dot(pq, r, d, SimdLevel.Scalar), dot);
                    Assert.Equal(ScanKernels.SquaredDistance(pq, r, d, SimdLevel.Scalar), ScanKernels.SquaredDistance(pq, r, d, (SimdLevel)level));
                    fixed (double* wide = q.Select(v => (double)v).ToArray())
                    {
                        Assert.Equal(dot, ScanKernels.Dot(wide, r, d, (SimdLevel)level));
                        Assert.Equal(ScanKernels.SquaredDistance(pq, r, d, SimdLevel.Scalar), ScanKernels.SquaredDistance(wide, r, d, (SimdLevel)level));
                    }

                    double reference = 0, squares = 0;
                    for (var i = 0; i < d; i++)
                    {
                        reference += (double)q[i] * r[i];
                        squares += r[i] * r[i];
                    }

                    Assert.Equal(reference, dot, Math.Abs(reference) * 1e-12 + 1e-300);
                    Assert.Equal((float)Math.Sqrt(squares), ScanKernels.Norm(r, d));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(IntegerPaths))]
    public void Integer_dots_equal_the_scalar_ones_on_every_path_including_extreme_codes(int path)
    {
        var maxCode = ScanKernels.MaxCode((IntegerDotPath)path);
        foreach (var d in Dimensions)
        {
            foreach (var count in new[] { 1, 4, 5, 11 })
            {
                var random = new Random((d * 31) + count);
                var codes = new sbyte[d];
                var rows = new byte[count * d];
                for (var i = 0; i < d; i++)
                {
                    // Extremes first (the saturation case of vpmaddubsw), then random codes.
                    codes[i] = (sbyte)(i % 3 == 0 ? maxCode : i % 3 == 1 ? -maxCode : random.Next(-maxCode, maxCode + 1));
                }

                random.NextBytes(rows);
                Array.Fill(rows, (byte)255, 0, Math.Min(rows.Length, d));
                var expected = new int[count];
                for (var j = 0; j < count; j++)
                {
                    for (var i = 0; i < d; i++)
                    {
                        expected[j] += codes[i] * rows[(j * d) + i];
                    }
                }

                var actual = new int[count];
                fixed (sbyte* pc = codes)
                fixed (byte* pr = rows)
                fixed (int* pa = actual)
                {
                    ScanKernels.IntegerDots(pc, pr, d, count, pa, (IntegerDotPath)path);
                }

                Assert.Equal(expected, actual);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Float_dots_stay_within_their_error_bound(int level)
    {
        foreach (var d in Dimensions)
        {
            const int count = 23;
            var (q, rows) = WideRangeFloats(d, count, seed: 100 + d);
            var dots = new float[count];
            fixed (float* pq = q)
            fixed (float* pr = rows)
            fixed (float* pd = dots)
            {
                ScanKernels.FloatDots(pq, pr, d, count, pd, (SimdLevel)level);
            }

            for (var j = 0; j < count; j++)
            {
                double exact = 0, absolute = 0;
                for (var i = 0; i < d; i++)
                {
                    var p = (double)q[i] * rows[(j * d) + i];
                    exact += p;
                    absolute += Math.Abs(p);
                }

                Assert.InRange(Math.Abs(dots[j] - exact), 0, ScanKernels.FloatDotErrorFactor(d) * absolute);
            }
        }
    }

    [Fact]
    public void Quantisation_error_bound_holds_for_every_row()
    {
        var random = new Random(5);
        foreach (var maxCode in new[] { 64, 127 })
        {
            foreach (var d in Dimensions)
            {
                var (q, _) = WideRangeFloats(d, 0, seed: d);
                var quantized = new Int8QuantizedVector(q, maxCode);
                Assert.All(quantized.Codes, c => Assert.InRange(c, -maxCode, maxCode));
                for (var j = 0; j < 200; j++)
                {
                    var row = new byte[d];
                    random.NextBytes(row);
                    double exact = 0, squares = 0;
                    long k = 0;
                    for (var i = 0; i < d; i++)
                    {
                        exact += (double)q[i] * row[i];
                        squares += row[i] * row[i];
                        k += quantized.Codes[i] * row[i];
                    }

                    Assert.InRange(Math.Abs(exact - ((double)quantized.Scale * k)), 0, quantized.ErrorNorm * Math.Sqrt(squares) * (1 + 1e-12));
                }
            }
        }
    }

    [Fact]
    public void A_zero_vector_quantises_to_zero_codes_without_error()
    {
        var quantized = new Int8QuantizedVector(new float[16], 127);
        Assert.All(quantized.Codes, c => Assert.Equal(0, c));
        Assert.Equal(0, quantized.ErrorNorm);
    }

    /// <summary>
    /// The exact kernels' documented order, independently of them: term <c>i</c> (in double) goes to lane
    /// <c>i mod 8</c>, lanes summed in increasing <c>i</c>, then <c>((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))</c>.
    /// </summary>
    private static double LaneOrderedSum(ReadOnlySpan<float> q, ReadOnlySpan<float> r, Func<double, double, double> term)
    {
        var lanes = new double[8];
        for (var i = 0; i < q.Length; i++)
        {
            lanes[i % 8] += term(q[i], r[i]);
        }

        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }

    /// <summary>A query and rows whose values span many binades and both signs, so rounding differs by summation order.</summary>
    private static (float[] Query, float[] Rows) WideRangeFloats(int d, int count, int seed)
    {
        var random = new Random(seed);
        float Next() => (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-20, 20)));
        var q = new float[d];
        var rows = new float[count * d];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = Next();
        }

        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = Next();
        }

        return (q, rows);
    }
}
