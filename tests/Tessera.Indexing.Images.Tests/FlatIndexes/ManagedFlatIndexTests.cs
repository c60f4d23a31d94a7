using Tessera.Indexing.Faiss;
using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Tests.FlatIndexes;

public sealed class ManagedFlatIndexTests
{
    [Theory]
    [InlineData(VectorMetric.L2, 37, 3)]
    [InlineData(VectorMetric.InnerProduct, 64, 7)]
    [InlineData(VectorMetric.L2, 5, 30)]
    public void Search_returns_what_faiss_IndexFlat_returns(VectorMetric metric, int dimension, int k)
    {
        var data = Random(seed: 1, 200 * dimension);
        var queries = Random(seed: 2, 9 * dimension);
        using var managed = new ManagedFlatIndex(dimension, metric);
        using var faiss = FaissIndex.Create(dimension, "Flat", metric);
        managed.Add(data);
        faiss.Add(data);

        var (managedDistances, managedLabels) = Search(managed, queries, k);
        var (faissDistances, faissLabels) = Search(faiss, queries, k);

        Assert.Equal(faissLabels, managedLabels);
        for (var i = 0; i < faissDistances.Length; i++)
        {
            Assert.Equal(faissDistances[i], managedDistances[i], Math.Max(1e-4f, Math.Abs(faissDistances[i]) * 1e-5f));
        }
    }

    [Theory]
    [InlineData(VectorMetric.L2, float.MaxValue)]
    [InlineData(VectorMetric.InnerProduct, -float.MaxValue)]
    public void Missing_neighbours_are_padded_like_faiss_with_label_minus_one(VectorMetric metric, float neutral)
    {
        using var managed = new ManagedFlatIndex(4, metric);
        managed.Add([1, 0, 0, 0, 0, 1, 0, 0]);

        var (distances, labels) = Search(managed, [1, 0, 0, 0], 4);

        Assert.Equal([0L, 1L, -1L, -1L], labels);
        Assert.Equal([neutral, neutral], distances[2..]);
    }

    [Fact]
    public void Equal_distances_go_to_the_lower_label()
    {
        using var index = new ManagedFlatIndex(2, VectorMetric.InnerProduct);
        index.Add([0, 1, 1, 0, 1, 0, 1, 0, 0.5f, 0]);

        var hits = Hits(index, [1f, 0f], 3);

        Assert.Equal([1L, 2L, 3L], hits.Select(h => h.Label));
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Serialize_writes_the_bytes_faiss_writes_and_each_reads_the_others(VectorMetric metric)
    {
        var data = Random(seed: 3, 50 * 16);
        using var managed = new ManagedFlatIndex(16, metric);
        using var faiss = FaissIndex.Create(16, "Flat", metric);
        managed.Add(data);
        faiss.Add(data);

        var ours = managed.Serialize();
        using var readByFaiss = FaissIndex.Deserialize(ours);
        using var readByUs = ManagedFlatIndex.Deserialize(faiss.Serialize());

        Assert.Equal(faiss.Serialize(), ours);
        Assert.Equal(45 + (50 * 16 * 4), ours.Length);
        Assert.Equal((50L, 16, metric), (readByFaiss.Count, readByFaiss.Dimension, readByFaiss.Metric));
        Assert.Equal((50L, 16, metric), (readByUs.Count, readByUs.Dimension, readByUs.Metric));
        Assert.Equal(Search(faiss, data[..32], 5).Labels, Search(readByUs, data[..32], 5).Labels);
    }

    [Fact]
    public void Reading_refuses_other_index_kinds_and_truncated_files_with_clear_messages()
    {
        using var ivf = FaissIndex.Create(8, "IVF2,Flat", VectorMetric.L2);
        ivf.Train(Random(seed: 4, 64 * 8));
        using var flat = new ManagedFlatIndex(8);
        flat.Add(Random(seed: 5, 3 * 8));
        var bytes = flat.Serialize();

        var other = Assert.Throws<InvalidDataException>(() => ManagedFlatIndex.Deserialize(ivf.Serialize()));
        var truncated = Assert.Throws<InvalidDataException>(() => ManagedFlatIndex.Deserialize(bytes[..^4]));
        var empty = Assert.Throws<InvalidDataException>(() => ManagedFlatIndex.Deserialize([]));

        Assert.Contains("type code is 'IwFl'", other.Message);
        Assert.Contains("truncated", truncated.Message);
        Assert.Contains("too short", empty.Message);
    }

    [Fact]
    public void Labels_are_positions_so_only_consecutive_ids_can_be_added()
    {
        using var index = new ManagedFlatIndex(2);
        index.Add([1, 1], [0L]);
        index.Add([2, 2, 3, 3], [1L, 2L]);

        var error = Assert.Throws<NotSupportedException>(() => index.Add([4, 4], [7L]));

        Assert.Equal(3, index.Count);
        Assert.Contains("IDMap", error.Message);
    }

    [Fact]
    public void Range_search_returns_what_faiss_returns()
    {
        var data = Random(seed: 6, 300 * 8);
        using var managed = new ManagedFlatIndex(8);
        using var faiss = FaissIndex.Create(8, "Flat", VectorMetric.L2);
        managed.Add(data);
        faiss.Add(data);

        var ours = managed.RangeSearch(data[..24], 2f);
        var theirs = faiss.RangeSearch(data[..24], 2f);

        Assert.Equal(theirs.Limits, ours.Limits);
        Assert.Equal(theirs.Labels, ours.Labels);
        Assert.True(ours.Labels.Count > 3, "the radius should catch more than the queries themselves");
    }

    [Fact]
    public async Task Searches_running_while_vectors_are_added_always_find_what_was_added_before_them()
    {
        const int d = 32;
        const int total = 4000;
        var data = Random(seed: 7, total * d);
        using var index = new ManagedFlatIndex(d);
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var searchers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                var count = index.Count;
                if (count == 0)
                {
                    continue;
                }

                var row = random.Next((int)count);
                var hits = Hits(index, data.AsSpan(row * d, d), 1);
                if (hits.Length != 1 || hits[0].Distance > 1e-6f)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        for (var start = 0; start < total; start += 50)
        {
            index.Add(data.AsSpan(start * d, 50 * d));
        }

        stop.Cancel();
        await Task.WhenAll(searchers);

        Assert.Equal(total, index.Count);
        Assert.Equal(0, failures);
    }

    [Fact]
    public void The_builder_creates_only_Flat_and_reads_faiss_flat_files()
    {
        var builder = new ManagedFlatIndexBuilder();
        using var created = builder.Create(new VectorIndexSpec(4, "Flat", VectorMetric.InnerProduct));
        using var faiss = FaissIndex.Create(4, "Flat", VectorMetric.InnerProduct);
        faiss.Add([1, 2, 3, 4]);

        var refused = Assert.Throws<NotSupportedException>(() => builder.Create(new VectorIndexSpec(4, "IVF16,Flat")));
        using var read = builder.Deserialize(faiss.Serialize());
        builder.Add(created, [1, 2, 3, 4, 5, 6, 7, 8], [0L, 1L]);

        Assert.IsType<ManagedFlatIndex>(created);
        Assert.Contains("'IVF16,Flat'", refused.Message);
        Assert.Equal((1L, VectorMetric.InnerProduct), (read.Count, read.Metric));
        Assert.Equal(2, created.Count);
    }

    internal static float[] Random(int seed, int count)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>The hits of one query, best first, without the -1 padding.</summary>
    internal static SearchHit[] Hits(IVectorIndex index, ReadOnlySpan<float> query, int k)
    {
        var distances = new float[k];
        var labels = new long[k];
        index.Search(query, k, distances, labels);
        return labels.Zip(distances).TakeWhile(p => p.First >= 0).Select(p => new SearchHit(p.First, p.Second)).ToArray();
    }

    private static (float[] Distances, long[] Labels) Search(IVectorIndex index, float[] queries, int k)
    {
        var n = queries.Length / index.Dimension;
        var distances = new float[n * k];
        var labels = new long[n * k];
        index.Search(queries, k, distances, labels);
        return (distances, labels);
    }
}
