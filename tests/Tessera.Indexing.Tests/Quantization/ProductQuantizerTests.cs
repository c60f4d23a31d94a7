using Tessera.Indexing.Clustering;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Testing;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Quantization;

/// <summary>The managed product quantizer encodes as FAISS does and trains codebooks as good as FAISS's.</summary>
public sealed class ProductQuantizerTests
{
    private const int D = 32;

    public ProductQuantizerTests()
    {
        // FAISS's OpenMP threads spin-wait; on a loaded 2-core machine two of them make its PQ
        // training ~50x slower than one. The results do not depend on the thread count.
        FaissIndex.MaxThreads = 1;
    }

    [Theory]
    [InlineData(16, 8)] // dsub 2, as PQ64 on 128-d
    [InlineData(8, 8)] // dsub 4
    [InlineData(4, 8)] // dsub 8
    [InlineData(2, 8)] // dsub 16: the wide (norm-expansion) path
    [InlineData(8, 5)] // codes that straddle bytes
    public void Encoding_with_faiss_codebooks_gives_faiss_own_ivf_codes(int m, int nbits)
    {
        var data = TestData.ClusteredVectors(2500, D, clusters: 30, seed: m + nbits);
        using var index = FaissIndex.Create(D, $"IVF8,PQ{m}x{nbits}np");
        index.Train(data);
        var info = index.GetIvfInfo();
        var expectedLists = new long[2500];
        var expectedCodes = new byte[2500 * info.CodeSize];
        index.EncodeIvf(data, expectedLists, expectedCodes);

        var coarse = new NearestCentroidSearch(index.GetCoarseCentroids(), D, VectorMetric.L2, Simd.Best);
        var pq = new ProductQuantizer(D, m, nbits, index.GetPqCodebooks());
        var lists = new int[2500];
        coarse.Search(data, lists, []);
        var residuals = Residuals(data, lists, coarse.Centroids);
        var codes = new byte[2500 * pq.CodeSize];
        pq.Encode(residuals, codes);

        Assert.Equal(info.CodeSize, pq.CodeSize);
        var sameList = 0;
        var sameCode = 0;
        for (var i = 0; i < 2500; i++)
        {
            sameList += lists[i] == expectedLists[i] ? 1 : 0;
            sameCode += codes.AsSpan(i * pq.CodeSize, pq.CodeSize).SequenceEqual(expectedCodes.AsSpan(i * pq.CodeSize, pq.CodeSize)) ? 1 : 0;
        }

        Console.WriteLine($"PQ{m}x{nbits}: {2500 - sameList} lists and {2500 - sameCode} codes of 2500 differ from FAISS's");
        Assert.True(sameList >= 2500 * 0.999, $"{2500 - sameList} coarse assignments differ");
        Assert.True(sameCode >= 2500 * 0.999, $"{2500 - sameCode} codes differ");
    }

    [Fact]
    public void Decoding_returns_the_chosen_centroids()
    {
        var data = TestData.ClusteredVectors(1000, D, seed: 4);
        var pq = ProductQuantizer.Train(data, D, 8, 4, new KMeansOptions { Iterations = 5 });
        var codes = new byte[1000 * pq.CodeSize];
        var decoded = new float[data.Length];

        pq.Encode(data, codes);
        pq.Decode(codes, decoded);

        for (var i = 0; i < 1000; i++)
        {
            for (var m = 0; m < 8; m++)
            {
                // The decoded sub-vector is a codebook entry, and no other entry is closer.
                var x = data.AsSpan((i * D) + (m * 4), 4);
                var chosen = TestData.SquaredL2(x, decoded.AsSpan((i * D) + (m * 4), 4));
                for (var j = 0; j < 16; j++)
                {
                    Assert.True(chosen <= TestData.SquaredL2(x, pq.Codebook(m).Slice(j * 4, 4)) + 1e-6f);
                }
            }
        }
    }

    [Fact]
    public void Trained_codebooks_quantize_as_well_as_faiss_trained_ones()
    {
        var data = TestData.ClusteredVectors(4000, D, clusters: 50, seed: 21);
        using var pqIndex = FaissIndex.Create(D, "IVF1,PQ8x6np");
        pqIndex.Train(data);

        // IVF1: the residual is the vector minus the single (mean) centroid; train on the same residuals.
        var mean = pqIndex.GetCoarseCentroids();
        var residuals = Residuals(data, new int[4000], mean);
        var ours = ProductQuantizer.Train(residuals, D, 8, 6);
        var theirs = new ProductQuantizer(D, 8, 6, pqIndex.GetPqCodebooks());

        var ourError = QuantizationError(ours, residuals);
        var theirError = QuantizationError(theirs, residuals);
        Assert.True(ourError <= theirError * 1.01, $"ours {ourError}, FAISS {theirError}");
        var identical = 0;
        for (var c = 0; c < 8 * 64; c++)
        {
            identical += ours.Codebooks.Slice(c * 4, 4).SequenceEqual(theirs.Codebooks.Slice(c * 4, 4)) ? 1 : 0;
        }

        // Same algorithm and seeds: only float-rounding ties in the assignment can make a centroid differ.
        Assert.True(identical >= 8 * 64 * 0.9, $"only {identical} of {8 * 64} sub-centroids equal FAISS's");
    }

    [Fact]
    public void A_dimension_that_is_not_a_multiple_of_m_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ProductQuantizer(30, 8, 8, new float[256 * 30]));
        Assert.Throws<ArgumentException>(() => new ProductQuantizer(32, 8, 8, new float[10]));
    }

    private static float[] Residuals(float[] data, int[] lists, ReadOnlySpan<float> centroids)
    {
        var residuals = new float[data.Length];
        for (var i = 0; i < lists.Length; i++)
        {
            for (var j = 0; j < D; j++)
            {
                residuals[(i * D) + j] = data[(i * D) + j] - centroids[(lists[i] * D) + j];
            }
        }

        return residuals;
    }

    private static double QuantizationError(ProductQuantizer pq, float[] vectors)
    {
        var n = vectors.Length / D;
        var codes = new byte[n * pq.CodeSize];
        var decoded = new float[vectors.Length];
        pq.Encode(vectors, codes);
        pq.Decode(codes, decoded);
        double error = 0;
        for (var i = 0; i < n; i++)
        {
            error += TestData.SquaredL2(vectors.AsSpan(i * D, D), decoded.AsSpan(i * D, D));
        }

        return error / n;
    }
}
