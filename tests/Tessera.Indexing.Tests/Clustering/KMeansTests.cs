using Tessera.Indexing.Clustering;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Clustering;

/// <summary>Managed k-means reproduces FAISS 1.7.3's <c>Clustering</c> (as trained by an IVF index's coarse quantizer).</summary>
public sealed class KMeansTests
{
    public KMeansTests()
    {
        // FAISS's OpenMP threads spin-wait; on a loaded 2-core machine one thread is far faster. Results do not depend on it.
        FaissIndex.MaxThreads = 1;
    }

    [Fact]
    public void Coarse_centroids_match_faiss_ivf_training_on_clustered_data()
    {
        const int d = 16;
        var data = TestData.ClusteredVectors(3000, d, clusters: 40);

        var ours = KMeans.Train(data, d, 32, KMeansOptions.CoarseQuantizerDefaults);

        AssertCentroidsMatchFaiss(data, d, "IVF32,Flat", ours.Centroids);
    }

    [Fact]
    public void Subsampling_above_256_points_per_centroid_draws_the_same_subset_as_faiss()
    {
        const int d = 16;
        var data = TestData.ClusteredVectors(5000, d, clusters: 12, seed: 1);

        var ours = KMeans.Train(data, d, 8, KMeansOptions.CoarseQuantizerDefaults);

        Assert.Equal(8 * 256, ours.TrainingPoints);
        AssertCentroidsMatchFaiss(data, d, "IVF8,Flat", ours.Centroids);
    }

    [Fact]
    public void Empty_clusters_are_split_as_faiss_splits_them()
    {
        // 500 distinct points, each repeated 4 times, into 200 centroids: initial centroids coincide,
        // the clusters of the duplicates go empty and are re-seeded by splitting.
        const int d = 4;
        var distinct = TestData.ClusteredVectors(500, d, clusters: 101, seed: 3);
        var data = new float[2000 * d];
        for (var i = 0; i < 2000; i++)
        {
            distinct.AsSpan((i / 4) * d, d).CopyTo(data.AsSpan(i * d, d));
        }

        var ours = KMeans.Train(data, d, 200, KMeansOptions.CoarseQuantizerDefaults);

        Assert.Contains(ours.Iterations, s => s.Splits > 0);
        AssertCentroidsMatchFaiss(data, d, "IVF200,Flat", ours.Centroids);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        const int d = 32;
        var data = TestData.ClusteredVectors(4000, d, clusters: 50, seed: 11);

        var one = KMeans.Train(data, d, 64, new KMeansOptions { Iterations = 6, MaxDegreeOfParallelism = 1 });
        var two = KMeans.Train(data, d, 64, new KMeansOptions { Iterations = 6, MaxDegreeOfParallelism = 2 });

        Assert.Equal(one.Centroids, two.Centroids);
        Assert.Equal(one.FinalObjective, two.FinalObjective);
    }

    [Fact]
    public void The_objective_does_not_increase_over_iterations()
    {
        const int d = 8;
        var data = TestData.ClusteredVectors(3000, d, clusters: 30, seed: 5);
        var reported = new List<KMeansIterationStats>();

        var result = KMeans.Train(data, d, 20, new KMeansOptions { Iterations = 12 }, new SynchronousProgress(reported));

        Assert.Equal(12, reported.Count);
        Assert.Equal(result.Iterations, reported);
        for (var i = 1; i < reported.Count; i++)
        {
            Assert.True(reported[i].Objective <= reported[i - 1].Objective * (1 + 1e-6), $"iteration {i} increased the objective");
        }
    }

    [Fact]
    public void Inner_product_clustering_assigns_by_largest_similarity()
    {
        const int d = 8;
        var data = TestData.ClusteredVectors(1000, d, clusters: 10, seed: 9);
        var result = KMeans.Train(data, d, 10, KMeansOptions.CoarseQuantizer(VectorMetric.InnerProduct));

        // The objective of inner-product k-means is a sum of similarities, positive for these data.
        Assert.True(result.FinalObjective > 0);
        AssertCentroidsMatchFaiss(data, d, "IVF10,Flat", result.Centroids, VectorMetric.InnerProduct);
    }

    [Fact]
    public void Fewer_points_than_centroids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => KMeans.Train(new float[10 * 4], 4, 11));
    }

    [Fact]
    public void Non_finite_points_are_refused()
    {
        var data = TestData.ClusteredVectors(100, 4);
        data[17] = float.NaN;
        Assert.Throws<ArgumentException>(() => KMeans.Train(data, 4, 4));
    }

    [Fact]
    public void A_cancelled_token_stops_training()
    {
        var data = TestData.ClusteredVectors(500, 4);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => KMeans.Train(data, 4, 4, cancellationToken: cts.Token));
    }

    /// <summary>
    /// FAISS's coarse quantizer training is the reference. Both run the same algorithm; only where a
    /// point is equidistant from two centroids to float rounding (BLAS there, FMA here) can one
    /// assignment, and so one or two centroids, differ. So nearly all centroids must be identical.
    /// </summary>
    private static void AssertCentroidsMatchFaiss(float[] data, int d, string factory, float[] ours, VectorMetric metric = VectorMetric.L2)
    {
        using var index = FaissIndex.Create(d, factory, metric);
        index.Train(data);
        var theirs = index.GetCoarseCentroids();
        Assert.Equal(theirs.Length, ours.Length);
        var k = ours.Length / d;
        var identical = 0;
        for (var c = 0; c < k; c++)
        {
            var same = true;
            for (var j = 0; j < d; j++)
            {
                same &= Math.Abs(ours[(c * d) + j] - theirs[(c * d) + j]) <= 1e-6f;
            }

            identical += same ? 1 : 0;
        }

        Assert.True(identical >= k * 0.9, $"only {identical} of {k} centroids equal FAISS's");
    }

    private sealed class SynchronousProgress(List<KMeansIterationStats> sink) : IProgress<KMeansIterationStats>
    {
        public void Report(KMeansIterationStats value) => sink.Add(value);
    }
}
