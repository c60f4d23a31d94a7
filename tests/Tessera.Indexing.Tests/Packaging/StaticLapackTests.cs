using Tessera.Indexing.Faiss;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary>
/// The LAPACK linked into the shim (OpenBLAS's, with the shim's own <c>_gfortran_concat_string</c>)
/// does its job: PCA training runs <c>ssyev</c>, OPQ training runs <c>sgesvd</c> (which builds its
/// ILAENV option string with that function), and the trained transforms keep vectors findable.
/// </summary>
public sealed class StaticLapackTests
{
    private const int D = 32;
    private const int N = 4000;
    private const int Queries = 500;

    private readonly float[] _data = TestData.ClusteredVectors(N, D, clusters: 16, seed: 7);

    public StaticLapackTests() => FaissIndex.MaxThreads = 1;

    [Fact]
    public void A_pca_transform_trained_through_lapack_keeps_every_vector_its_own_nearest_neighbour()
    {
        var found = SelfRecall("PCA16,Flat");

        Assert.Equal(Queries, found);
    }

    [Fact]
    public void An_opq_rotation_trained_through_lapack_finds_vectors_as_well_as_plain_pq()
    {
        var plain = SelfRecall("PQ8x4np");
        var rotated = SelfRecall("OPQ8,PQ8x4np");

        // A broken rotation (zeros, not orthonormal) loses the vectors: recall falls towards 10/4000.
        Assert.True(plain > Queries / 4, $"plain PQ found only {plain} of {Queries}");
        Assert.True(rotated >= plain * 0.9, $"OPQ found {rotated} of {Queries} vectors among their own 10 nearest, plain PQ {plain}");
    }

    /// <summary>How many of the first <see cref="Queries"/> vectors are among their own 10 nearest neighbours.</summary>
    private int SelfRecall(string factory)
    {
        using var index = FaissIndex.Create(D, factory);
        index.Train(_data);
        index.Add(_data);

        var distances = new float[Queries * 10];
        var labels = new long[Queries * 10];
        index.Search(_data.AsSpan(0, Queries * D), 10, distances, labels);
        Assert.DoesNotContain(distances, float.IsNaN);
        var found = 0;
        for (var q = 0; q < Queries; q++)
        {
            if (labels.AsSpan(q * 10, 10).Contains(q))
            {
                found++;
            }
        }

        return found;
    }
}
