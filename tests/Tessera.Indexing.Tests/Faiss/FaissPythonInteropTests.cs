using System.Text.Json;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>Indexes written by one side are read and searched by the other (Python: Debian's python3-faiss).</summary>
public sealed class FaissPythonInteropTests
{
    private const int D = 32;

    private const string SearchScript = """
        import sys, json, numpy as np, faiss
        index = faiss.read_index(sys.argv[1])
        q = np.fromfile(sys.argv[2], dtype='float32').reshape(-1, index.d)
        nprobe = int(sys.argv[3])
        if nprobe > 0:
            faiss.extract_index_ivf(index).nprobe = nprobe
        D, I = index.search(q, 10)
        print(json.dumps({"ntotal": int(index.ntotal), "d": int(index.d), "labels": I.tolist(), "distances": D.tolist()}))
        """;

    [Theory]
    [InlineData("Flat", 0)]
    [InlineData("IVF32,Flat", 8)]
    [InlineData("IVF32,PQ8np", 8)]
    public void An_index_written_by_csharp_is_read_by_python_faiss_with_the_same_neighbours(string factory, int nprobe)
    {
        using var dir = new TempDirectory();
        var data = TestData.ClusteredVectors(3000, D);
        var ids = Enumerable.Range(0, 3000).Select(i => 10L * i).ToArray();
        using var index = FaissIndex.Create(D, factory);
        if (!index.IsTrained)
        {
            index.Train(data);
        }

        if (index.IsIvf)
        {
            index.Add(data, ids);
        }
        else
        {
            index.Add(data);
        }

        var queries = data.AsSpan(0, 25 * D).ToArray();
        index.Save(dir.File("cs.index"));
        TestData.WriteRawFloats(dir.File("q.f32"), queries);

        var py = Python.RunJson(SearchScript, dir.File("cs.index"), dir.File("q.f32"), nprobe.ToString());

        Assert.Equal(3000, py.GetProperty("ntotal").GetInt64());
        var labels = new long[25 * 10];
        var distances = new float[25 * 10];
        index.Search(queries, 10, distances, labels, nprobe);
        AssertSame(py, labels, distances);
    }

    [Fact]
    public void An_index_written_by_python_faiss_is_read_and_searched_by_csharp_with_the_same_results()
    {
        using var dir = new TempDirectory();
        const string writer = """
            import sys, json, numpy as np, faiss
            rng = np.random.default_rng(7)
            x = rng.random((4000, 32), dtype='float32')
            index = faiss.index_factory(32, "IVF16,PQ8np", faiss.METRIC_INNER_PRODUCT)
            index.train(x)
            index.add_with_ids(x, np.arange(4000, dtype='int64') + 500)
            faiss.write_index(index, sys.argv[1])
            q = x[:20].copy()
            q.tofile(sys.argv[2])
            index.nprobe = 4
            D, I = index.search(q, 10)
            print(json.dumps({"labels": I.tolist(), "distances": D.tolist()}))
            """;

        var py = Python.RunJson(writer, dir.File("py.index"), dir.File("q.f32"));

        using var index = FaissIndex.Load(dir.File("py.index"));
        var queries = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir.File("q.f32"))).ToArray();
        var labels = new long[20 * 10];
        var distances = new float[20 * 10];
        index.Search(queries, 10, distances, labels, nprobe: 4);

        Assert.Equal(4000, index.Count);
        Assert.Equal(Tessera.Indexing.Indexes.VectorMetric.InnerProduct, index.Metric);
        Assert.Equal(16, index.GetIvfInfo().NList);
        AssertSame(py, labels, distances);
    }

    private static void AssertSame(JsonElement py, long[] labels, float[] distances)
    {
        var pyLabels = py.GetProperty("labels").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetInt64())).ToArray();
        var pyDistances = py.GetProperty("distances").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray();
        Assert.Equal(pyLabels.Length, labels.Length);
        var mismatched = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            // Same arithmetic, possibly in another order (batching, threads): float rounding only.
            Assert.InRange(Math.Abs(pyDistances[i] - distances[i]), 0, 1e-4 + (1e-4 * Math.Abs(pyDistances[i])));
            if (pyLabels[i] != labels[i])
            {
                mismatched++; // near-ties may be ordered differently
            }
        }

        Assert.True(mismatched <= labels.Length / 20, $"{mismatched} labels differ");
    }
}
