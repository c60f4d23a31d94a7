using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Vectors;

/// <summary>The point-vectorised sub-space kernels choose exactly what the scalar reference chooses.</summary>
public sealed unsafe class SmallDimensionKernelsTests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var level in Simd.Available)
        {
            foreach (var d in new[] { 1, 2, 3, 8 })
            {
                data.Add((int)level, d);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Faiss_exact_assignment_equals_the_scalar_reference_on_every_path(int level, int d)
    {
        const int k = 100;
        const int count = 37;
        var random = new Random(d);
        var points = Enumerable.Range(0, count * d).Select(_ => (float)random.NextDouble()).ToArray();
        var centroids = Enumerable.Range(0, k * d).Select(_ => (float)random.NextDouble()).ToArray();
        var transposed = new float[d * 128];
        for (var t = 0; t < d; t++)
        {
            for (var j = 0; j < k; j++)
            {
                transposed[(t * 128) + j] = centroids[(j * d) + t];
            }
        }

        var soa = new float[d * SmallDimensionKernels.Block];
        var labels = new int[SmallDimensionKernels.Block];
        fixed (float* p = points)
        fixed (float* s = soa)
        fixed (float* c = transposed)
        fixed (int* l = labels)
        {
            SmallDimensionKernels.Transpose(p, count, d, d, s);
            SmallDimensionKernels.ArgMinSquaredL2Exact(s, d, c, k, 128, l, (SimdLevel)level);
        }

        for (var i = 0; i < count; i++)
        {
            var best = float.PositiveInfinity;
            var expected = 0;
            for (var j = 0; j < k; j++)
            {
                var acc = 0f;
                for (var t = 0; t < d; t++)
                {
                    var diff = points[(i * d) + t] - centroids[(j * d) + t];
                    acc += diff * diff;
                }

                if (acc < best)
                {
                    best = acc;
                    expected = j;
                }
            }

            Assert.Equal(expected, labels[i]);
        }
    }
}
