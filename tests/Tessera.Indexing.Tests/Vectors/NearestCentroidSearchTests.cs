using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Vectors;

/// <summary>The blocked nearest-centroid kernels find the true nearest centroid on every SIMD path.</summary>
public sealed class NearestCentroidSearchTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var level in Simd.Available)
        {
            foreach (var (d, k) in new[] { (2, 256), (5, 7), (16, 33), (33, 300), (128, 64) })
            {
                data.Add((int)level, d, k);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_point_gets_the_centroid_with_the_smallest_l2_distance(int level, int d, int k)
    {
        const int n = (6 * 8) + 55;
        var random = new Random((d * 1000) + k);
        var points = RandomFloats(random, n * d);
        var centroids = RandomFloats(random, k * d);
        var search = new NearestCentroidSearch(centroids, d, VectorMetric.L2, (SimdLevel)level);
        var labels = new int[n];
        var distances = new float[n];

        search.Search(points, labels, distances, maxDegreeOfParallelism: 2);

        for (var i = 0; i < n; i++)
        {
            var x = points.AsSpan(i * d, d).ToArray();
            var exact = Enumerable.Range(0, k).Min(j => (double)TestData.SquaredL2(x, centroids.AsSpan(j * d, d)));
            var chosen = TestData.SquaredL2(x, centroids.AsSpan(labels[i] * d, d));
            Assert.True(chosen <= exact + 1e-4, $"point {i}: chose {labels[i]} at {chosen}, best is {exact}");
            Assert.Equal(chosen, distances[i], 1e-3f);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_point_gets_the_centroid_with_the_largest_inner_product(int level, int d, int k)
    {
        const int n = 101;
        var random = new Random((d * 7) + k);
        var points = RandomFloats(random, n * d);
        var centroids = RandomFloats(random, k * d);
        var search = new NearestCentroidSearch(centroids, d, VectorMetric.InnerProduct, (SimdLevel)level);
        var labels = new int[n];
        var similarities = new float[n];

        search.Search(points, labels, similarities);

        for (var i = 0; i < n; i++)
        {
            var x = points.AsSpan(i * d, d).ToArray();
            var exact = Enumerable.Range(0, k).Max(j => (double)TestData.Dot(x, centroids.AsSpan(j * d, d)));
            var chosen = TestData.Dot(x, centroids.AsSpan(labels[i] * d, d));
            Assert.True(chosen >= exact - 1e-4, $"point {i}: chose {labels[i]} at {chosen}, best is {exact}");
            Assert.Equal(chosen, similarities[i], 1e-3f);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(64)]
    public void Identical_centroids_resolve_to_the_lowest_number(int d)
    {
        const int k = 40;
        var random = new Random(3);
        var centroids = RandomFloats(random, k * d);
        centroids.AsSpan(5 * d, d).CopyTo(centroids.AsSpan(21 * d, d));
        centroids.AsSpan(5 * d, d).CopyTo(centroids.AsSpan(37 * d, d));
        var points = centroids.AsSpan(5 * d, d).ToArray();
        foreach (var level in Simd.Available)
        {
            var labels = new int[1];
            new NearestCentroidSearch(centroids, d, VectorMetric.L2, level).Search(points, labels, []);
            Assert.Equal(5, labels[0]);
        }
    }

    private static float[] RandomFloats(Random random, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
}
