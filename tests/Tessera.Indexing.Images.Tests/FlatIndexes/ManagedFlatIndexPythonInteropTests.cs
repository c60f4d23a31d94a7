using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.FlatIndexes;

public sealed class ManagedFlatIndexPythonInteropTests
{
    [Fact]
    public void Python_faiss_reads_our_file_and_finds_what_we_find()
    {
        using var dir = new TempDirectory("tessera-flat");
        var data = ManagedFlatIndexTests.Random(seed: 11, 120 * 24);
        using var index = new ManagedFlatIndex(24, VectorMetric.InnerProduct);
        index.Add(data);
        var path = Path.Combine(dir.Path, "ours.index");
        index.Save(path);
        var ours = ManagedFlatIndexTests.Hits(index, data.AsSpan(5 * 24, 24), 4);

        const string script = """
            import faiss, json, sys
            index = faiss.read_index(sys.argv[1])
            d, i = index.search(index.reconstruct(5).reshape(1, -1), 4)
            print(json.dumps({"type": type(index).__name__, "ntotal": index.ntotal, "d": index.d,
                              "ip": index.metric_type == faiss.METRIC_INNER_PRODUCT,
                              "labels": [int(x) for x in i[0]], "distances": [float(x) for x in d[0]]}))
            """;
        var result = Python.RunJson(script, path);

        Assert.StartsWith("IndexFlat", result.GetProperty("type").GetString());
        Assert.Equal(120, result.GetProperty("ntotal").GetInt64());
        Assert.Equal(24, result.GetProperty("d").GetInt32());
        Assert.True(result.GetProperty("ip").GetBoolean());
        Assert.Equal(ours.Select(h => h.Label), result.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(ours[0].Distance, result.GetProperty("distances")[0].GetSingle(), 4);
    }

    [Fact]
    public void We_read_a_file_python_faiss_wrote_and_find_what_it_finds()
    {
        using var dir = new TempDirectory("tessera-flat");
        var path = Path.Combine(dir.Path, "theirs.index");
        const string script = """
            import faiss, json, numpy, sys
            rng = numpy.random.default_rng(3)
            x = rng.standard_normal((80, 12)).astype("float32")
            index = faiss.IndexFlatL2(12)
            index.add(x)
            faiss.write_index(index, sys.argv[1])
            d, i = index.search(x[7:8], 3)
            print(json.dumps({"query": [float(v) for v in x[7]], "labels": [int(v) for v in i[0]], "distances": [float(v) for v in d[0]]}))
            """;
        var expected = Python.RunJson(script, path);

        using var index = ManagedFlatIndex.Load(path);
        var query = expected.GetProperty("query").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var hits = ManagedFlatIndexTests.Hits(index, query, 3);

        Assert.Equal((80L, 12, VectorMetric.L2), (index.Count, index.Dimension, index.Metric));
        Assert.Equal(expected.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()), hits.Select(h => h.Label));
        Assert.Equal(expected.GetProperty("distances")[1].GetSingle(), hits[1].Distance, 3);
    }
}
