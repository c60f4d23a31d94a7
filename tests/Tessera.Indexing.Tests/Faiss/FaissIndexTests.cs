using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

public sealed class FaissIndexTests
{
    private const int D = 16;

    [Fact]
    public void Flat_search_returns_the_exact_neighbours_of_a_brute_force_scan()
    {
        var data = TestData.ClusteredVectors(500, D);
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(data);

        Assert.Equal(500, index.Count);
        for (var q = 0; q < 20; q++)
        {
            var query = data.AsSpan(q * 7 * D, D);
            var expected = TestData.BruteForceL2(data, D, query, 5);
            var hits = index.Search(query, 5);
            Assert.Equal(expected, hits.Select(h => h.Label).ToArray());
            Assert.Equal(TestData.SquaredL2(data.AsSpan((int)hits[1].Label * D, D), query), hits[1].Distance, 3);
        }
    }

    [Fact]
    public void Inner_product_index_reports_similarities_largest_first()
    {
        var data = TestData.ClusteredVectors(200, D);
        using var index = FaissIndex.Create(D, "Flat", VectorMetric.InnerProduct);
        index.Add(data);
        var query = data.AsSpan(0, D);

        var hits = index.Search(query, 10);

        Assert.Equal(VectorMetric.InnerProduct, index.Metric);
        for (var i = 1; i < hits.Length; i++)
        {
            Assert.True(hits[i - 1].Distance >= hits[i].Distance);
        }

        Assert.Equal(TestData.Dot(data.AsSpan((int)hits[0].Label * D, D), query), hits[0].Distance, 3);
    }

    [Fact]
    public void Ivf_index_with_explicit_ids_returns_those_ids_and_matches_brute_force_when_probing_every_list()
    {
        var data = TestData.ClusteredVectors(2000, D);
        var ids = Enumerable.Range(0, 2000).Select(i => 1_000_000L + (i * 3)).ToArray();
        using var index = FaissIndex.Create(D, "IVF16,Flat");
        Assert.False(index.IsTrained);
        index.Train(data);
        Assert.True(index.IsTrained);
        index.Add(data, ids);

        var query = data.AsSpan(123 * D, D);
        var expected = TestData.BruteForceL2(data, D, query, 10).Select(i => ids[i]).ToArray();
        var hits = index.Search(query, 10, nprobe: 16);

        Assert.Equal(expected, hits.Select(h => h.Label).ToArray());
        Assert.Equal(16, index.GetIvfInfo().NList);
    }

    [Fact]
    public void Per_call_nprobe_changes_what_an_ivf_search_visits()
    {
        var data = TestData.ClusteredVectors(4000, D, clusters: 64);
        using var index = FaissIndex.Create(D, "IVF64,Flat");
        index.Train(data);
        index.Add(data);
        var queries = data.AsMemory(0, 200 * D);

        int Recall(int nprobe)
        {
            var labels = new long[200 * 10];
            index.Search(queries.Span, 10, new float[200 * 10], labels, nprobe);
            var found = 0;
            for (var q = 0; q < 200; q++)
            {
                var truth = TestData.BruteForceL2(data, D, queries.Span.Slice(q * D, D), 10);
                found += labels.AsSpan(q * 10, 10).ToArray().Intersect(truth).Count();
            }

            return found;
        }

        Assert.Equal(2000, Recall(64));
        Assert.True(Recall(1) < Recall(64));
    }

    [Fact]
    public void Range_search_finds_exactly_the_vectors_within_the_radius()
    {
        var data = TestData.ClusteredVectors(300, D);
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(data);
        var query = data.AsSpan(5 * D, D).ToArray();
        const float radius = 0.05f;

        var result = index.RangeSearch(query, radius);

        var expected = Enumerable.Range(0, 300).Where(i => TestData.SquaredL2(data.AsSpan(i * D, D), query) < radius).Select(i => (long)i).ToHashSet();
        Assert.Equal(1, result.QueryCount);
        Assert.Equal(expected, result.GetHits(0).Select(h => h.Label).ToHashSet());
        Assert.NotEmpty(expected);
    }

    [Fact]
    public void Reconstruct_returns_the_stored_vector_of_a_flat_index()
    {
        var data = TestData.ClusteredVectors(50, D);
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(data);
        var back = new float[D];

        index.Reconstruct(17, back);

        Assert.Equal(data.AsSpan(17 * D, D).ToArray(), back);
    }

    [Fact]
    public void Reconstruct_by_label_works_on_an_id_map_index_and_unknown_labels_throw()
    {
        var data = TestData.ClusteredVectors(50, D);
        using var index = FaissIndex.Create(D, "IDMap2,Flat");
        index.Add(data, Enumerable.Range(0, 50).Select(i => 1_000L + i).ToArray());
        var back = new float[D];

        index.Reconstruct(1_017, back);

        Assert.Equal(data.AsSpan(17 * D, D).ToArray(), back);
        Assert.Throws<FaissException>(() => index.Reconstruct(17, back));
    }

    [Fact]
    public void Reconstruct_out_of_range_on_a_flat_index_throws_instead_of_reading_past_the_end()
    {
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(TestData.ClusteredVectors(5, D));

        Assert.Throws<FaissException>(() => index.Reconstruct(5, new float[D]));
        Assert.Throws<FaissException>(() => index.Reconstruct(-1, new float[D]));
    }

    [Fact]
    public void Reset_empties_the_index_but_keeps_its_training()
    {
        var data = TestData.ClusteredVectors(1000, D);
        using var index = FaissIndex.Create(D, "IVF8,Flat");
        index.Train(data);
        index.Add(data);

        index.Reset();

        Assert.Equal(0, index.Count);
        Assert.True(index.IsTrained);
        index.Add(data.AsSpan(0, 10 * D));
        Assert.Equal(10, index.Count);
    }

    [Fact]
    public void Merge_from_moves_the_vectors_of_an_identically_trained_ivf_index()
    {
        var data = TestData.ClusteredVectors(1000, D);
        using var a = FaissIndex.Create(D, "IVF8,Flat");
        a.Train(data);
        using var b = a.Clone();
        a.Add(data.AsSpan(0, 400 * D));
        b.Add(data.AsSpan(400 * D));

        a.MergeFrom(b, addId: 400);

        Assert.Equal(1000, a.Count);
        Assert.Equal(0, b.Count);
        Assert.Equal(700, a.Search(data.AsSpan(700 * D, D), 1, nprobe: 8)[0].Label);
    }

    [Fact]
    public void Serialize_and_deserialize_round_trip_gives_identical_results()
    {
        var data = TestData.ClusteredVectors(2000, D);
        using var index = FaissIndex.Create(D, "IVF16,PQ4np");
        index.Train(data);
        index.Add(data);
        var query = data.AsSpan(42 * D, D);

        var bytes = index.Serialize();
        using var copy = FaissIndex.Deserialize(bytes);

        Assert.Equal(index.Count, copy.Count);
        Assert.Equal(index.Search(query, 10, 4), copy.Search(query, 10, 4));
    }

    [Fact]
    public void Save_and_load_round_trip_through_a_file_gives_identical_results()
    {
        using var dir = new TempDirectory();
        var data = TestData.ClusteredVectors(2000, D);
        using var index = FaissIndex.Create(D, "IVF16,Flat", VectorMetric.InnerProduct);
        index.Train(data);
        index.Add(data);
        var path = dir.File("x.index");

        index.Save(path);
        using var loaded = FaissIndex.Load(path);
        using var mapped = FaissIndex.Load(path, FaissIoFlags.MemoryMap);

        var query = data.AsSpan(9 * D, D);
        Assert.Equal(VectorMetric.InnerProduct, loaded.Metric);
        Assert.Equal(index.Search(query, 5, 16), loaded.Search(query, 5, 16));
        Assert.Equal(index.Search(query, 5, 16), mapped.Search(query, 5, 16));
    }

    [Fact]
    public void Concurrent_searches_on_one_index_return_the_same_results_as_sequential_ones()
    {
        var data = TestData.ClusteredVectors(5000, D, clusters: 32);
        using var index = FaissIndex.Create(D, "IVF32,Flat");
        index.Train(data);
        index.Add(data);
        var expected = Enumerable.Range(0, 64).Select(q => index.Search(data.AsSpan(q * 11 * D, D), 10, 1 + (q % 8))).ToArray();

        var actual = new SearchHit[64][];
        Parallel.For(0, 64 * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var q = i % 64;
            actual[q] = index.Search(data.AsSpan(q * 11 * D, D), 10, 1 + (q % 8));
        });

        for (var q = 0; q < 64; q++)
        {
            Assert.Equal(expected[q], actual[q]);
        }
    }
}
