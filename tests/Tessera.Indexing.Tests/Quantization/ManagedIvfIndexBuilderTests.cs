using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Quantization;

/// <summary>Indexes trained and filled by the managed builder are as good as FAISS's own and stay ordinary FAISS files.</summary>
public sealed class ManagedIvfIndexBuilderTests
{
    private const int D = 32;
    private const int N = 6000;

    public ManagedIvfIndexBuilderTests()
    {
        // FAISS's OpenMP threads spin-wait; on a loaded 2-core machine one thread is far faster. Results do not depend on it.
        FaissIndex.MaxThreads = 1;
    }

    [Theory]
    [InlineData("IVF16,PQ8np", VectorMetric.L2)]
    [InlineData("IVF16,PQ16x6np", VectorMetric.L2)]
    [InlineData("IVF16,PQ8np", VectorMetric.InnerProduct)]
    [InlineData("IVF16,Flat", VectorMetric.L2)]
    public void Recall_at_10_is_within_0_01_of_the_index_faiss_trains_itself(string factory, VectorMetric metric)
    {
        var (data, ids, queries) = Dataset(seed: 1);
        var managed = new ManagedIvfIndexBuilder();
        var native = new FaissIndexBuilder();
        using var ours = Build(managed, factory, metric, data, ids);
        using var theirs = Build(native, factory, metric, data, ids);

        var truth = ExactNeighbours(data, ids, queries, metric);
        var ourRecall = Recall(ours, queries, truth);
        var theirRecall = Recall(theirs, queries, truth);

        Console.WriteLine($"{factory} {metric}: recall@10 managed {ourRecall:F4}, FAISS {theirRecall:F4}");
        Assert.True(managed.BuildsManaged(ours));
        Assert.True(Math.Abs(ourRecall - theirRecall) <= 0.01, $"recall@10: managed {ourRecall:F4}, FAISS {theirRecall:F4}");
        Assert.True(theirRecall > 0.2, $"the reference index is too poor to compare with ({theirRecall:F4})");
    }

    [Theory]
    [InlineData("IVF16,PQ8np")]
    [InlineData("IVF16,Flat")]
    public void Adding_to_a_faiss_trained_index_fills_the_lists_faiss_would_fill(string factory)
    {
        var (data, ids, _) = Dataset(seed: 2);
        using var reference = FaissIndex.Create(D, factory);
        reference.Train(data);
        using var ours = reference.Clone();
        reference.Add(data, ids);

        new ManagedIvfIndexBuilder().Add(ours, data, ids);

        Assert.Equal(reference.Count, ours.Count);
        var info = reference.GetIvfInfo();
        long same = 0;
        for (var list = 0; list < info.NList; list++)
        {
            var (expectedIds, expectedCodes) = reference.GetList(list);
            var (actualIds, actualCodes) = ours.GetList(list);
            var byId = new Dictionary<long, int>();
            for (var i = 0; i < actualIds.Length; i++)
            {
                byId[actualIds[i]] = i;
            }

            for (var i = 0; i < expectedIds.Length; i++)
            {
                if (byId.TryGetValue(expectedIds[i], out var j)
                    && expectedCodes.AsSpan(i * info.CodeSize, info.CodeSize).SequenceEqual(actualCodes.AsSpan(j * info.CodeSize, info.CodeSize)))
                {
                    same++;
                }
            }
        }

        Assert.True(same >= N * 0.999, $"{N - same} of {N} entries are in another list or have another code");
    }

    [Fact]
    public void Python_faiss_reads_a_managed_index_and_finds_the_same_neighbours()
    {
        using var dir = new TempDirectory();
        var (data, ids, queries) = Dataset(seed: 3);
        using var index = Build(new ManagedIvfIndexBuilder(), "IVF16,PQ8np", VectorMetric.L2, data, ids);
        index.Save(dir.File("managed.index"));
        TestData.WriteRawFloats(dir.File("q.f32"), queries);
        var labels = new long[queries.Length / D * 10];
        var distances = new float[labels.Length];
        index.Search(queries, 10, distances, labels, nprobe: 4);

        var py = Python.RunJson(
            """
            import sys, json, numpy as np, faiss
            index = faiss.read_index(sys.argv[1])
            q = np.fromfile(sys.argv[2], dtype='float32').reshape(-1, index.d)
            ivf = faiss.extract_index_ivf(index)
            ivf.nprobe = 4
            D, I = index.search(q, 10)
            print(json.dumps({"ntotal": int(index.ntotal), "trained": bool(index.is_trained), "labels": I.ravel().tolist(), "distances": D.ravel().tolist()}))
            """,
            dir.File("managed.index"),
            dir.File("q.f32"));

        Assert.Equal(N, py.GetProperty("ntotal").GetInt64());
        Assert.True(py.GetProperty("trained").GetBoolean());
        Assert.Equal(labels, py.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        var pyDistances = py.GetProperty("distances").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        for (var i = 0; i < distances.Length; i++)
        {
            Assert.Equal(distances[i], pyDistances[i], 1e-4f);
        }
    }

    [Theory]
    [InlineData("IDMap,Flat")]
    [InlineData("PCA16,IVF8,Flat")]
    [InlineData("IVF8,SQ8")]
    [InlineData("IVF8_HNSW8,Flat")]
    public void Other_index_types_are_trained_and_filled_by_faiss(string factory)
    {
        var (data, ids, queries) = Dataset(seed: 4);
        var builder = new ManagedIvfIndexBuilder();
        var progress = new List<IndexBuildProgress>();
        using var index = builder.Create(new VectorIndexSpec(D, factory));

        builder.Train(index, data, new ListProgress(progress), CancellationToken.None);
        builder.Add(index, data, ids, new ListProgress(progress), CancellationToken.None);

        Assert.False(builder.BuildsManaged(index));
        Assert.Equal(N, index.Count);
        Assert.All(progress, p => Assert.True(p.Stage is IndexBuildStage.NativeTraining or IndexBuildStage.NativeAdding));
        var labels = new long[10];
        index.Search(queries.AsSpan(0, D), 10, new float[10], labels);
        Assert.Contains(labels, l => l >= 0);
    }

    [Fact]
    public void Training_reports_every_stage_in_order_and_adding_reports_encoding_and_list_filling()
    {
        var (data, ids, _) = Dataset(seed: 5);
        var builder = new ManagedIvfIndexBuilder(new ManagedIvfIndexBuilderOptions { AddBatchSize = 1000 });
        var progress = new List<IndexBuildProgress>();
        using var index = builder.Create(new VectorIndexSpec(D, "IVF16,PQ8np"));

        builder.Train(index, data, new ListProgress(progress), CancellationToken.None);
        var trainingReports = progress.Count;
        builder.Add(index, data, ids, new ListProgress(progress), CancellationToken.None);

        var stages = progress.Take(trainingReports).Select(p => p.Stage).Distinct().ToArray();
        Assert.Equal([IndexBuildStage.CoarseQuantizer, IndexBuildStage.Residuals, IndexBuildStage.ProductQuantizer], stages);
        Assert.Equal(10, progress.Count(p => p.Stage == IndexBuildStage.CoarseQuantizer));
        Assert.Equal(8, progress.Count(p => p.Stage == IndexBuildStage.ProductQuantizer));
        Assert.Equal(6, progress.Count(p => p.Stage == IndexBuildStage.Encoding));
        Assert.Equal(6, progress.Count(p => p.Stage == IndexBuildStage.ListFilling));
        Assert.Equal(N, progress[^1].Completed);
        Assert.Equal(1.0, progress[^1].Fraction);
    }

    [Fact]
    public void A_polysemous_factory_string_is_trained_without_reordering_and_says_so()
    {
        var (data, ids, _) = Dataset(seed: 6);
        var logger = new ListLogger<ManagedIvfIndexBuilder>();
        var builder = new ManagedIvfIndexBuilder(logger: logger);
        using var index = builder.Create(new VectorIndexSpec(D, "IVF16,PQ8"));

        builder.Train(index, data);
        builder.Add(index, data, ids);

        Assert.True(builder.BuildsManaged(index));
        Assert.Equal(N, index.Count);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("polysemous", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cancelled_training_leaves_the_index_untrained()
    {
        var (data, _, _) = Dataset(seed: 7);
        var builder = new ManagedIvfIndexBuilder();
        using var index = builder.Create(new VectorIndexSpec(D, "IVF16,PQ8np"));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => builder.Train(index, data, cts.Token));
        Assert.False(index.IsTrained);
    }

    [Fact]
    public void Adding_to_an_untrained_index_is_refused_by_faiss()
    {
        var (data, ids, _) = Dataset(seed: 8);
        var builder = new ManagedIvfIndexBuilder();
        using var index = builder.Create(new VectorIndexSpec(D, "IVF16,PQ8np"));

        Assert.Throws<FaissException>(() => builder.Add(index, data, ids));
    }

    [Theory]
    [InlineData("IVF16,PQ8np", 200)] // fewer than the 256 centroids of a PQ sub-space
    [InlineData("IVF16,Flat", 10)] // fewer than the 16 lists
    public void Too_few_training_vectors_fail_with_a_faiss_exception_like_faiss_own_training(string factory, int count)
    {
        var (data, _, _) = Dataset(seed: 9);
        var vectors = data[..(count * D)];
        var managed = new ManagedIvfIndexBuilder();
        using var ours = managed.Create(new VectorIndexSpec(D, factory));
        using var theirs = FaissIndex.Create(D, factory);

        var ourError = Assert.Throws<FaissException>(() => managed.Train(ours, vectors));
        var theirError = Assert.Throws<FaissException>(() => theirs.Train(vectors));

        Assert.Contains("should be at least as large as number of clusters", theirError.Message, StringComparison.Ordinal);
        Assert.Contains("should be at least as large as number of clusters", ourError.Message, StringComparison.Ordinal);
        Assert.False(ours.IsTrained);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ManagedIvfIndexBuilder(new ManagedIvfIndexBuilderOptions { AddBatchSize = 0 }));
        Assert.Contains(nameof(ManagedIvfIndexBuilderOptions.AddBatchSize), error.Message, StringComparison.Ordinal);
    }

    private static FaissIndex Build(IVectorIndexBuilder builder, string factory, VectorMetric metric, float[] data, long[] ids)
    {
        var index = (FaissIndex)builder.Create(new VectorIndexSpec(D, factory, metric));
        builder.Train(index, data);
        builder.Add(index, data, ids);
        index.SetNProbe(4);
        return index;
    }

    private static (float[] Data, long[] Ids, float[] Queries) Dataset(int seed)
    {
        var all = TestData.ClusteredVectors(N + 100, D, clusters: 60, seed: seed);
        var ids = Enumerable.Range(0, N).Select(i => (i * 3L) + 5).ToArray();
        return (all[..(N * D)], ids, all[(N * D)..]);
    }

    private static long[][] ExactNeighbours(float[] data, long[] ids, float[] queries, VectorMetric metric)
    {
        var q = queries.Length / D;
        var result = new long[q][];
        for (var i = 0; i < q; i++)
        {
            var query = queries.AsSpan(i * D, D).ToArray();
            result[i] = Enumerable.Range(0, N)
                .Select(j => (Id: ids[j], Score: metric == VectorMetric.L2
                    ? TestData.SquaredL2(query, data.AsSpan(j * D, D))
                    : -TestData.Dot(query, data.AsSpan(j * D, D))))
                .OrderBy(t => t.Score).ThenBy(t => t.Id).Take(10).Select(t => t.Id).ToArray();
        }

        return result;
    }

    private static double Recall(FaissIndex index, float[] queries, long[][] truth)
    {
        var q = truth.Length;
        var labels = new long[q * 10];
        index.Search(queries, 10, new float[q * 10], labels);
        var found = 0;
        for (var i = 0; i < q; i++)
        {
            found += labels.AsSpan(i * 10, 10).ToArray().Intersect(truth[i]).Count();
        }

        return found / (double)(q * 10);
    }

    private sealed class ListProgress(List<IndexBuildProgress> sink) : IProgress<IndexBuildProgress>
    {
        public void Report(IndexBuildProgress value)
        {
            lock (sink)
            {
                sink.Add(value);
            }
        }
    }
}
