using Tessera.Indexing.Faiss;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>Centroids, codebooks and codes set from outside FAISS give the same index as FAISS's own training and add.</summary>
public sealed class FaissExternalTrainingTests
{
    private const int D = 16;

    [Fact]
    public void An_ivfpq_index_built_from_external_centroids_codebooks_and_codes_equals_faiss_own()
    {
        var data = TestData.ClusteredVectors(3000, D);
        var ids = Enumerable.Range(0, 3000).Select(i => (long)i * 2).ToArray();
        using var reference = FaissIndex.Create(D, "IVF16,PQ4x8np");
        reference.Train(data);
        reference.Add(data, ids);

        using var external = FaissIndex.Create(D, "IVF16,PQ4x8np");
        external.SetCoarseCentroids(reference.GetCoarseCentroids());
        external.SetPqCodebooks(reference.GetPqCodebooks());
        external.MarkTrained();
        var info = reference.GetIvfInfo();
        var lists = new long[3000];
        var codes = new byte[3000 * info.CodeSize];
        reference.EncodeIvf(data, lists, codes);
        external.AddPreEncoded(lists, codes, ids);

        Assert.True(external.IsTrained);
        Assert.Equal(reference.Count, external.Count);
        Assert.Equal(4, info.PqSubQuantizers);
        for (var list = 0; list < 16; list++)
        {
            var (expectedIds, expectedCodes) = reference.GetList(list);
            var (actualIds, actualCodes) = external.GetList(list);
            Assert.Equal(expectedIds, actualIds);
            Assert.Equal(expectedCodes, actualCodes);
        }

        var query = data.AsSpan(77 * D, D);
        Assert.Equal(reference.Search(query, 10, 4), external.Search(query, 10, 4));
        Assert.Equal(reference.Serialize(), external.Serialize());
    }

    [Fact]
    public void Marking_an_index_trained_without_centroids_is_refused()
    {
        using var index = FaissIndex.Create(D, "IVF16,Flat");
        Assert.Throws<FaissException>(() => index.MarkTrained());
        Assert.False(index.IsTrained);
    }

    [Fact]
    public void Pre_encoded_entries_with_an_out_of_range_list_are_refused()
    {
        var data = TestData.ClusteredVectors(500, D);
        using var index = FaissIndex.Create(D, "IVF4,Flat");
        index.Train(data);
        var codes = new byte[index.GetIvfInfo().CodeSize];

        Assert.Throws<FaissException>(() => index.AddPreEncoded([99], codes, [1]));
        Assert.Equal(0, index.Count);
    }
}
