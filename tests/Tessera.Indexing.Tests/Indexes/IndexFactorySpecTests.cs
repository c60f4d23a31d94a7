using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Tests.Indexes;

public sealed class IndexFactorySpecTests
{
    [Theory]
    [InlineData("Flat", IndexStructure.Flat, IndexEncoding.Flat, 0, 0, 0)]
    [InlineData("IVF1024,Flat", IndexStructure.InvertedFile, IndexEncoding.Flat, 1024, 0, 0)]
    [InlineData("IVF1024,PQ64", IndexStructure.InvertedFile, IndexEncoding.ProductQuantizer, 1024, 64, 8)]
    [InlineData("IVF16,PQ8x4np", IndexStructure.InvertedFile, IndexEncoding.ProductQuantizer, 16, 8, 4)]
    [InlineData("PQ16x10", IndexStructure.Flat, IndexEncoding.ProductQuantizer, 0, 16, 10)]
    [InlineData("IVF16,SQ8", IndexStructure.InvertedFile, IndexEncoding.ScalarQuantizer, 16, 0, 0)]
    [InlineData("HNSW32", IndexStructure.Hnsw, IndexEncoding.Flat, 0, 0, 0)]
    [InlineData("HNSW16_PQ8np", IndexStructure.Hnsw, IndexEncoding.ProductQuantizer, 0, 8, 8)]
    [InlineData("HNSW16,SQfp16", IndexStructure.Hnsw, IndexEncoding.ScalarQuantizer, 0, 0, 0)]
    [InlineData("IVF256_HNSW32,Flat", IndexStructure.InvertedFile, IndexEncoding.Flat, 256, 0, 0)]
    [InlineData("LSHrt", IndexStructure.Flat, IndexEncoding.Lsh, 0, 0, 0)]
    public void Supported_strings_parse_into_their_parts(string text, IndexStructure structure, IndexEncoding encoding, int nlist, int m, int bits)
    {
        var spec = IndexFactorySpec.Parse(text);

        Assert.Equal(text, spec.FactoryString);
        Assert.Equal(structure, spec.Structure);
        Assert.Equal(encoding, spec.Encoding);
        Assert.Equal(nlist, spec.NList);
        Assert.Equal(m, spec.PqSubQuantizers);
        Assert.Equal(bits, spec.PqBitsPerCode);
    }

    [Fact]
    public void Id_maps_pre_transforms_and_options_are_read()
    {
        var spec = IndexFactorySpec.Parse(" IDMap2,PCAWR64,OPQ16_64,L2norm,RR,IVF256_HNSW16,PQ16np ");

        Assert.Equal("IDMap2,PCAWR64,OPQ16_64,L2norm,RR,IVF256_HNSW16,PQ16np", spec.FactoryString);
        Assert.Equal(IndexIdMapKind.IdMap2, spec.IdMap);
        Assert.Equal(
            [
                new IndexFactoryTransform(IndexFactoryTransformKind.Pca, 64, Whitening: true, Rotation: true),
                new IndexFactoryTransform(IndexFactoryTransformKind.Opq, 64, SubQuantizers: 16),
                new IndexFactoryTransform(IndexFactoryTransformKind.L2Normalization, null),
                new IndexFactoryTransform(IndexFactoryTransformKind.RandomRotation, null),
            ],
            spec.Transforms);
        Assert.Equal(["PCAWR64", "OPQ16_64", "L2norm", "RR"], spec.Transforms.Select(t => t.ToString()));
        Assert.Equal(16, spec.CoarseQuantizerHnswNeighbors);
        Assert.False(spec.PqPolysemousTraining);
        Assert.Equal(64, spec.GetIndexDimension(128));
        Assert.Equal(IndexIdMapKind.IdMap, IndexFactorySpec.Parse("Flat,IDMap").IdMap);
        Assert.Equal(32, IndexFactorySpec.Parse("HNSW").HnswNeighbors);
        Assert.True(IndexFactorySpec.Parse("IVF8,PQ4").PqPolysemousTraining);
        Assert.True(IndexFactorySpec.Parse("PQ4x4fs").PqFastScan);
    }

    [Theory]
    [InlineData("IVF0,Flat", "'IVF0'", "0 inverted lists")]
    [InlineData("PQ0", "'PQ0'", "0 sub-quantizers")]
    [InlineData("IVF16,PQ16x0", "'PQ16x0'", "0 bits")]
    [InlineData("IVF16,PQ16x17", "'PQ16x17'", "at most 16")]
    [InlineData("HNSW0", "'HNSW0'", "at least 2")]
    [InlineData("HNSW1", "'HNSW1'", "at least 2")]
    [InlineData("HNSW5000", "'HNSW5000'", "at most 4,096")]
    [InlineData("PCA0,Flat", "'PCA0'", "0 output dimensions")]
    [InlineData("OPQ0,PQ8", "'OPQ0'", "0 sub-quantizers")]
    [InlineData("IVF99999999999,Flat", "'IVF99999999999'", "at most 2,147,483,647")]
    [InlineData("IVF2147483648,Flat", "'IVF2147483648'", "at most")]
    [InlineData("IVF-1,Flat", "'IVF-1'", "not an index")]
    [InlineData("IVF16", "'IVF16'", "without an encoding")]
    [InlineData("IVF16,Bogus", "'Bogus'", "not an IVF encoding")]
    [InlineData("IVF1k,Flat", "'IVF1k'", "not an index")]
    [InlineData("Flat,RFlat", "'RFlat'", "after 'Flat'")]
    [InlineData("IVF16,Flat,RFlat", "'RFlat'", "refinement")]
    [InlineData("PCA32", "'PCA32'", "without an index")]
    [InlineData("PCA32,IDMap", "'PCA32'", "without an index")]
    [InlineData("ITQ,Flat", "'ITQ'", "not supported")]
    [InlineData("IDMap2", "id map but no index", "")]
    [InlineData("Flat,IDMap2,Flat", "'IDMap2' in the middle", "")]
    [InlineData("Flat,,", "empty component", "")]
    [InlineData("SQ8_direct", "'SQ8_direct'", "does not understand")]
    [InlineData("HNSW32_PQ8x4", "'PQ8x4'", "8-bit codes only")]
    [InlineData("HNSW32_Bogus", "'Bogus'", "storage")]
    [InlineData("flat", "'flat'", "not an index")]
    [InlineData("NotAnIndex42", "'NotAnIndex42'", "not an index")]
    public void Zero_absurd_or_unknown_parts_are_refused_with_a_message_naming_the_part(string text, string part, string reason)
    {
        Assert.False(IndexFactorySpec.TryParse(text, out var spec, out var error));
        Assert.Null(spec);
        Assert.Contains(part, error);
        Assert.Contains(reason, error);
        var thrown = Assert.Throws<FormatException>(() => IndexFactorySpec.Parse(text));
        Assert.Equal(error, thrown.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_strings_are_refused(string? text)
    {
        Assert.False(IndexFactorySpec.TryParse(text, out _, out var error));
        Assert.Contains("empty", error);
    }

    [Fact]
    public void Overlong_strings_are_refused()
    {
        Assert.False(IndexFactorySpec.TryParse("IDMap2," + string.Concat(Enumerable.Repeat("L2norm,", 40)) + "Flat", out _, out var error));
        Assert.Contains("characters long", error);
    }

    [Theory]
    [InlineData("PQ3", 8, VectorMetric.L2, "'PQ3'")]
    [InlineData("IVF16,PQ16", 8, VectorMetric.L2, "not a multiple of 16")]
    [InlineData("PCA16,Flat", 8, VectorMetric.L2, "'PCA16'")]
    [InlineData("PCA4,PQ3", 8, VectorMetric.L2, "after the pre-transforms")]
    [InlineData("OPQ3_8,PQ2", 8, VectorMetric.L2, "'OPQ3_8'")]
    [InlineData("LSH", 8, VectorMetric.L2, "Hamming")]
    [InlineData("LSH", 8, VectorMetric.InnerProduct, "Hamming")]
    [InlineData("HNSW32_PQ4np", 8, VectorMetric.InnerProduct, "L2 only")]
    [InlineData("IVF16,PQ4x4fs", 8, VectorMetric.L2, "fast-scan")]
    [InlineData("IVF16,PQ4x10", 8, VectorMetric.L2, "add 'np'")]
    public void Strings_that_do_not_fit_the_dimension_or_metric_are_refused(string text, int dimension, VectorMetric metric, string message)
    {
        var spec = IndexFactorySpec.Parse(text);

        var problem = spec.FindProblem(dimension, metric);
        Assert.NotNull(problem);
        Assert.Contains(message, problem);
        Assert.Throws<ArgumentException>(() => spec.Validate(dimension, metric));
    }

    [Theory]
    [InlineData("IVF1024,PQ64", 128, VectorMetric.L2)]
    [InlineData("HNSW32_PQ4np", 8, VectorMetric.L2)]
    [InlineData("OPQ16_64,IVF256,PQ16", 128, VectorMetric.InnerProduct)]
    [InlineData("PCA8,Flat", 8, VectorMetric.L2)]
    [InlineData("IVF16,PQ4x10np", 8, VectorMetric.L2)]
    public void Strings_that_fit_have_no_problem(string text, int dimension, VectorMetric metric)
    {
        Assert.Null(IndexFactorySpec.Parse(text).FindProblem(dimension, metric));
    }

    [Fact]
    public void Pca_with_inner_product_is_warned_about()
    {
        Assert.Contains("mean", Assert.Single(IndexFactorySpec.Parse("PCA32,Flat").GetWarnings(VectorMetric.InnerProduct)));
        Assert.Empty(IndexFactorySpec.Parse("PCA32,Flat").GetWarnings(VectorMetric.L2));
        Assert.Empty(IndexFactorySpec.Parse("IVF16,Flat").GetWarnings(VectorMetric.InnerProduct));
    }

    [Fact]
    public void The_memory_estimate_counts_centroids_codebooks_tables_and_vectors()
    {
        Assert.Equal(128L * 4 * 1000, IndexFactorySpec.Parse("Flat").EstimateMemoryBytes(128, VectorMetric.L2, 1000));

        // IVF1024,PQ64 over 128-d: centroids + list headers + codebooks + the L2 precomputed table (1024 x 64 x 256 floats).
        var ivfpq = IndexFactorySpec.Parse("IVF1024,PQ64").EstimateMemoryBytes(128, VectorMetric.L2);
        var expected = (1024L * ((128 * 4) + 60)) + (128L * 256 * 4) + (1024L * 64 * 256 * 4) + (64L * 256 * 256 * 4);
        Assert.Equal(expected, ivfpq);
        Assert.True(IndexFactorySpec.Parse("IVF1024,PQ64np").EstimateMemoryBytes(128, VectorMetric.InnerProduct) < ivfpq / 10);

        // The IVF99999999,PQ64: tens of gigabytes before a single vector.
        Assert.True(IndexFactorySpec.Parse("IVF99999999,PQ64").EstimateMemoryBytes(128, VectorMetric.L2) > 50L << 30);
        Assert.Equal(long.MaxValue, IndexFactorySpec.Parse("IVF2147483647,Flat").EstimateMemoryBytes(int.MaxValue, VectorMetric.L2, long.MaxValue));
    }

    [Theory]
    [InlineData("Flat", false, false, 0)]
    [InlineData("IDMap2,Flat", false, true, 0)]
    [InlineData("IVF16,Flat", true, true, 0)]
    [InlineData("PQ8", true, false, 256)]
    [InlineData("IVF16,PQ8x4fs", true, true, 16)]
    [InlineData("SQfp16", false, false, 0)]
    [InlineData("SQ8", true, false, 0)]
    [InlineData("HNSW32", false, false, 0)]
    [InlineData("IDMap,L2norm,HNSW32", false, true, 0)]
    [InlineData("RR,Flat", true, false, 0)]
    public void Training_and_id_needs_follow_from_the_parts(string text, bool training, bool ids, int minimum)
    {
        var spec = IndexFactorySpec.Parse(text);

        Assert.Equal(training, spec.RequiresTraining);
        Assert.Equal(ids, spec.AcceptsExplicitIds);
        Assert.Equal(minimum, spec.MinimumPqTrainingPoints);
    }

    [Fact]
    public void With_nlist_and_with_id_map_keep_the_rest_of_the_string()
    {
        Assert.Equal("OPQ16_64,IVF100_HNSW32,PQ16", IndexFactorySpec.Parse("OPQ16_64,IVF512_HNSW32,PQ16").WithNList(100).FactoryString);
        Assert.Equal("IDMap2,PCA32,Flat", IndexFactorySpec.Parse("PCA32,Flat").WithIdMap2().FactoryString);
        var mapped = IndexFactorySpec.Parse("Flat,IDMap");
        Assert.Same(mapped, mapped.WithIdMap2());
        Assert.Throws<InvalidOperationException>(() => IndexFactorySpec.Parse("Flat").WithNList(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexFactorySpec.Parse("IVF8,Flat").WithNList(0));
    }

    [Fact]
    public void Specs_are_equal_when_their_strings_are()
    {
        Assert.Equal(IndexFactorySpec.Parse("IVF16,Flat"), IndexFactorySpec.Parse(" IVF16,Flat"));
        Assert.NotEqual(IndexFactorySpec.Parse("IVF16,Flat"), IndexFactorySpec.Parse("IVF17,Flat"));
        Assert.Equal(IndexFactorySpec.Parse("IVF16,Flat").GetHashCode(), IndexFactorySpec.Parse("IVF16,Flat ").GetHashCode());
        Assert.Equal("IVF16,Flat", IndexFactorySpec.Parse("IVF16,Flat").ToString());
    }
}
