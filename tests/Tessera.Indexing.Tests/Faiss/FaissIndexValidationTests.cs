using System.Buffers.Binary;
using System.Diagnostics;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing;
using static Tessera.Indexing.Tests.Faiss.FaissTestIndexes;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>Index files and buffers are checked field by field before FAISS's reader sees them.</summary>
public sealed class FaissIndexValidationTests
{
    private static readonly float[] Query = TestData.ClusteredVectors(1, D, seed: 7);

    public static TheoryData<string> Factories() => [.. SupportedFactories];

    [Theory]
    [MemberData(nameof(Factories))]
    public void Every_supported_index_type_written_by_faiss_passes_validation_from_a_buffer_and_a_file(string factory)
    {
        var bytes = Build(factory);
        using var dir = new TempDirectory();
        var path = dir.File("x.index");
        File.WriteAllBytes(path, bytes);

        using var fromBuffer = FaissIndex.Deserialize(bytes);
        using var fromFile = FaissIndex.Load(path);
        using var mapped = FaissIndex.Load(path, FaissIoFlags.MemoryMap);

        Assert.Equal(40, fromBuffer.Count);
        var expected = fromBuffer.Search(Query, 5, nprobe: 4);
        Assert.Equal(5, expected.Length);
        Assert.Equal(expected, fromFile.Search(Query, 5, nprobe: 4));
        Assert.Equal(expected, mapped.Search(Query, 5, nprobe: 4));
        Assert.Equal(bytes, fromFile.Serialize());
    }

    [Fact]
    public void Inner_product_indexes_pass_validation_too()
    {
        foreach (var factory in new[] { "Flat", "IVF4,PQ2x4", "HNSW4_SQ8", "IDMap2,Flat" })
        {
            using var index = FaissIndex.Deserialize(Build(factory, VectorMetric.InnerProduct));
            Assert.Equal(VectorMetric.InnerProduct, index.Metric);
        }
    }

    [Fact]
    public void The_layout_the_tests_patch_is_the_one_faiss_writes()
    {
        var bytes = Build(IvfPq.Factory);
        Assert.Equal("IwPQ", Fourcc(bytes, 0));
        Assert.Equal("IxF2", Fourcc(bytes, IvfPq.Quantizer));
        Assert.Equal(2, Int64At(bytes, IvfPq.PqM));
        Assert.Equal(4, Int64At(bytes, IvfPq.PqNBits));
        Assert.Equal("ilar", Fourcc(bytes, IvfPq.InvertedLists));
        Assert.Equal("full", Fourcc(bytes, IvfPq.ListType));
        Assert.Equal(40, Enumerable.Range(0, 4).Sum(i => Int64At(bytes, IvfPq.Sizes + (8 * i))));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(1000)]
    public void A_metric_other_than_l2_or_inner_product_is_refused_before_faiss_reads_it(int metric)
    {
        // The SIGSEGV at search: the metric field (offset 0x21) set to -1.
        var ivf = Refuse(WithInt32(Build(IvfPq.Factory), IvfPq.Metric, metric));
        var flat = Refuse(WithInt32(Build("Flat"), Flat.Metric, metric));

        var kind = metric == 2 ? FaissErrorKind.UnsupportedIndex : FaissErrorKind.CorruptIndex;
        Assert.Equal(kind, ivf.Kind);
        Assert.Equal(kind, flat.Kind);
        Assert.Contains("metric", ivf.Message);
        Assert.Contains("byte 33", ivf.Message);
    }

    [Theory]
    [InlineData(0, "pq.M is 0")]
    [InlineData(3, "does not divide")]
    [InlineData(32, "does not divide")]
    public void A_product_quantizer_whose_m_does_not_divide_d_is_refused(long m, string message)
    {
        // The SIGFPE at load: pq.M set to 0.
        var error = Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.PqM, m));

        Assert.Equal(FaissErrorKind.CorruptIndex, error.Kind);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(0, FaissErrorKind.CorruptIndex)]
    [InlineData(64, FaissErrorKind.CorruptIndex)]
    [InlineData(65, FaissErrorKind.CorruptIndex)]
    [InlineData(20, FaissErrorKind.UnsupportedIndex)]
    [InlineData(8, FaissErrorKind.CorruptIndex)]
    public void Pq_nbits_out_of_range_or_inconsistent_with_the_codebooks_is_refused(long nbits, FaissErrorKind kind)
    {
        var error = Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.PqNBits, nbits));

        Assert.Equal(kind, error.Kind);
        Assert.Contains("nbits", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(39)]
    [InlineData(41)]
    [InlineData(long.MaxValue)]
    public void An_ntotal_that_disagrees_with_the_stored_vectors_is_refused(long ntotal)
    {
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.NTotal, ntotal)).Kind);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(Build("Flat"), Flat.NTotal, ntotal)).Kind);
    }

    [Fact]
    public void Dimension_zero_or_negative_is_refused()
    {
        Assert.Contains("dimension d = 0", Refuse(WithInt32(Build("Flat"), Flat.Dimension, 0)).Message);
        Assert.Contains("dimension d = -8", Refuse(WithInt32(Build("Flat"), Flat.Dimension, -8)).Message);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt32(Build("Flat"), Flat.Dimension, 7)).Kind);
    }

    [Fact]
    public void An_index_marked_untrained_that_holds_vectors_is_refused()
    {
        var error = Refuse(WithByte(Build(IvfPq.Factory), IvfPq.IsTrained, 0));

        Assert.Equal(FaissErrorKind.CorruptIndex, error.Kind);
        Assert.Contains("untrained", error.Message);
        Assert.Contains("is_trained at byte 32", error.Message);
        Assert.Contains("only 0 and 1", Refuse(WithByte(Build(IvfPq.Factory), IvfPq.IsTrained, 7)).Message);
    }

    [Fact]
    public void An_empty_untrained_index_loads_and_searching_it_gives_a_typed_error()
    {
        using var empty = FaissIndex.Create(D, IvfPq.Factory);
        using var loaded = FaissIndex.Deserialize(empty.Serialize());

        Assert.False(loaded.IsTrained);
        var error = Assert.Throws<FaissException>(() => loaded.Search(Query, 3));
        Assert.Contains("not trained", error.Message);
    }

    [Fact]
    public void Nprobe_zero_or_beyond_2_63_is_refused_and_a_large_nprobe_is_reported_as_what_faiss_searches()
    {
        // FAISS reads nprobe as a signed 64-bit value before clamping it to nlist: 0 and 2^63 fail every search.
        Assert.Contains("nprobe is 0", Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.NProbe, 0)).Message);
        Assert.Contains("nprobe is 9223372036854775808", Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.NProbe, long.MinValue)).Message);

        using var index = FaissIndex.Deserialize(WithInt64(Build(IvfPq.Factory), IvfPq.NProbe, long.MaxValue));
        Assert.Equal(4, index.GetIvfInfo().NProbe);
        Assert.Equal(5, index.Search(Query, 5).Length);
    }

    [Fact]
    public void A_small_file_claiming_a_billion_lists_is_refused_without_allocating()
    {
        var bytes = WithInt64(Build(IvfPq.Factory), IvfPq.NList, 1_000_000_000);
        var options = new FaissIndexOptions { MaxMemoryBytes = 1L << 30 };

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<FaissException>(() => FaissIndex.Deserialize(bytes, options));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(FaissErrorKind.MemoryBudgetExceeded, error.Kind);
        Assert.Contains("MaxMemoryBytes", error.Message);
        Assert.True(allocated < 1 << 20, $"validation allocated {allocated} bytes");
    }

    [Fact]
    public void A_quantizer_claiming_a_billion_centroids_is_refused()
    {
        var error = Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.QuantizerNTotal, 1_000_000_000));

        Assert.Equal(FaissErrorKind.CorruptIndex, error.Kind);
        Assert.Contains("IwPQ > IxF2", error.Message);
    }

    [Fact]
    public void A_length_field_beyond_the_remaining_bytes_is_refused()
    {
        var error = Refuse(WithInt64(Build("Flat"), Flat.VectorsLength, 1L << 40));
        Assert.Contains("only", error.Message);
        Assert.Contains("remain", error.Message);

        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.CentroidsLength, -1)).Kind);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.SizesLength, 3)).Kind);
    }

    [Fact]
    public void Inverted_list_sizes_must_add_up_to_ntotal_and_fit_the_file()
    {
        var bytes = Build(IvfPq.Factory);
        var first = Int64At(bytes, IvfPq.Sizes);

        Assert.Contains("ntotal", Refuse(WithInt64(bytes, IvfPq.Sizes, first + 1)).Message);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(bytes, IvfPq.Sizes, -1)).Kind);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(bytes, IvfPq.Sizes, 1L << 50)).Kind);
    }

    [Fact]
    public void A_sparse_size_table_with_an_odd_count_or_a_list_out_of_range_is_refused()
    {
        var bytes = WithFourcc(Build(IvfPq.Factory), IvfPq.ListType, "sprs");

        // "full" sizes (4 values) read as 2 sparse pairs: (size0, size1), (size2, size3).
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(bytes).Kind);
        Assert.Contains("pairs", Refuse(WithInt64(bytes, IvfPq.SizesLength, 3)).Message);
    }

    [Fact]
    public void Codes_sizes_that_disagree_are_refused()
    {
        Assert.Contains("code_size", Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.CodeSize, 2)).Message);
        Assert.Contains("is 9-d", Refuse(WithInt64(Build(IvfPq.Factory), IvfPq.PqD, 9)).Message);
    }

    [Fact]
    public void An_unknown_direct_map_type_is_refused()
    {
        Assert.Contains("direct map type 3", Refuse(WithByte(Build(IvfPq.Factory), IvfPq.DirectMapType, 3)).Message);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithByte(Build(IvfPq.Factory), IvfPq.DirectMapType, 1)).Kind);
    }

    [Fact]
    public void Direct_maps_written_by_python_load_and_reconstruct_and_a_dangling_entry_is_refused()
    {
        using var dir = new TempDirectory();
        FaissDirectMapIndexes.Write(dir.File("array.index"), dir.File("hash.index"));
        var array = File.ReadAllBytes(dir.File("array.index"));
        var hash = File.ReadAllBytes(dir.File("hash.index"));

        using (var index = FaissIndex.Deserialize(array))
        {
            var vector = new float[D];
            index.Reconstruct(7, vector);
            Assert.Equal(0, index.Search(vector, 1)[0].Distance, 4);
        }

        using (var index = FaissIndex.Deserialize(hash))
        {
            var vector = new float[D];
            index.Reconstruct(1007, vector);
            Assert.Equal(1007, index.Search(vector, 1)[0].Label);
        }

        // IwFl header, nlist, nprobe (53) + IxF2 quantizer (37 + 8 + 4*8*4) + direct map type (1) + array length (8):
        // entry 0 of the Array map; (list << 32 | offset) with list 9 of 4 does not exist.
        const int firstEntry = 53 + 173 + 9;
        Assert.Equal(1, array[firstEntry - 9]);
        Assert.Contains("direct map entry 0", Refuse(WithInt64(array, firstEntry, 9L << 32)).Message);
        Assert.Contains("direct map entry", Refuse(WithInt64(array, firstEntry, 5000)).Message);
        Assert.Equal(2, hash[firstEntry - 9]);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(hash, firstEntry - 8, 3)).Kind);
    }

    [Fact]
    public void Unknown_type_codes_are_corrupt_and_known_unsupported_ones_are_unsupported()
    {
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithFourcc(Build("Flat"), 0, "Zzzz")).Kind);
        Assert.Equal(FaissErrorKind.UnsupportedIndex, Refuse(WithFourcc(Build("Flat"), 0, "IxHe")).Kind);
        Assert.Equal(FaissErrorKind.UnsupportedIndex, Refuse(WithFourcc(Build(IvfPq.Factory), 0, "IvPQ")).Kind);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithFourcc(Build(IvfPq.Factory), IvfPq.InvertedLists, "ilxx")).Kind);
        Assert.Equal(FaissErrorKind.UnsupportedIndex, Refuse(WithFourcc(Build(IvfPq.Factory), IvfPq.InvertedLists, "il00")).Kind);
    }

    [Fact]
    public void Every_truncation_of_an_index_is_refused_as_corrupt()
    {
        foreach (var factory in new[] { "Flat", IvfPq.Factory, "HNSW4", "IDMap2,PCA4,Flat", "IVF4,SQ8" })
        {
            var bytes = Build(factory);
            for (var length = 0; length < bytes.Length; length++)
            {
                var error = Assert.Throws<FaissException>(() => FaissIndex.Deserialize(bytes.AsSpan(0, length)));
                Assert.Equal(FaissErrorKind.CorruptIndex, error.Kind);
            }
        }
    }

    [Fact]
    public void Bytes_after_the_index_are_refused()
    {
        var bytes = Build("Flat");
        var error = Refuse([.. bytes, 0, 0, 0, 0]);

        Assert.Contains("4 unexpected bytes", error.Message);
    }

    [Fact]
    public void An_id_map_over_an_ivf_whose_internal_ids_leave_the_map_is_refused()
    {
        // IxMp header (37) + IwFl header, nlist and nprobe (53) + IxF2 quantizer (37 + 8 + 4*8*4) + direct map (9)
        // + "ilar", nlist, code_size, "full", sizes length (32) = the four sizes at 304.
        var bytes = Build("IDMap,IVF4,Flat");
        const int sizes = 304;
        Assert.Equal("full", Fourcc(bytes, sizes - 12));
        var firstList = Enumerable.Range(0, 4).First(i => Int64At(bytes, sizes + (8 * i)) > 0);
        var payload = sizes + 32 + Enumerable.Range(0, firstList).Sum(i => (int)Int64At(bytes, sizes + (8 * i)) * (32 + 8));
        var firstId = payload + ((int)Int64At(bytes, sizes + (8 * firstList)) * 32);

        var error = Refuse(WithInt64(bytes, firstId, 40));

        Assert.Contains("outside the id map", error.Message);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt64(bytes, firstId, -5)).Kind);
    }

    [Fact]
    public void An_id_map_with_the_wrong_number_of_ids_is_refused()
    {
        var bytes = Build("IDMap2,Flat");
        var idMapLength = bytes.Length - (40 * 8) - 8;

        Assert.Equal(40, Int64At(bytes, idMapLength));
        Assert.Contains("ntotal = 40 ids", Refuse(WithInt64(bytes, idMapLength, 39)).Message);
    }

    [Fact]
    public void Hnsw_graphs_with_links_out_of_range_or_a_wrong_entry_point_are_refused()
    {
        var bytes = Build("HNSW4");
        var graph = HnswLayout.Of(bytes);

        Assert.Contains("neighbour", Refuse(WithInt32(bytes, graph.FirstNeighbor, 40)).Message);
        Assert.Contains("neighbour", Refuse(WithInt32(bytes, graph.FirstNeighbor, -2)).Message);
        Assert.Contains("entry point", Refuse(WithInt32(bytes, graph.EntryPoint, 40)).Message);
        Assert.Contains("entry point", Refuse(WithInt32(bytes, graph.EntryPoint + 4, 9)).Message);
        Assert.Contains("levels", Refuse(WithInt32(bytes, graph.FirstLevel, 0)).Message);
        Assert.Contains("efSearch", Refuse(WithInt32(bytes, graph.EntryPoint + 12, 0)).Message);
        Assert.Contains("upper_beam", Refuse(WithInt32(bytes, graph.EntryPoint + 16, -1)).Message);
    }

    [Fact]
    public void A_scalar_quantizer_of_an_unknown_type_is_refused()
    {
        // IxSQ header (37), then qtype.
        var bytes = Build("SQ8");
        Assert.Equal(0, Int32At(bytes, 37));

        Assert.Contains("scalar quantizer type 9", Refuse(WithInt32(bytes, 37, 9)).Message);
        Assert.Contains("trained values", Refuse(WithInt32(bytes, 37, 2)).Message);
    }

    [Fact]
    public void A_pre_transform_whose_dimensions_do_not_chain_is_refused()
    {
        // IxM2 header (37), IxPT header (37), chain length (4), then the "Pcam" transform.
        var bytes = Build("IDMap2,PCA4,Flat");
        Assert.Equal("Pcam", Fourcc(bytes, 78));
        var dOut = FindTransformTrailer(bytes, 78);

        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt32(bytes, dOut - 4, 7)).Kind);
        Assert.Equal(FaissErrorKind.CorruptIndex, Refuse(WithInt32(bytes, dOut, 3)).Kind);
        Assert.Contains("chain length", Refuse(WithInt32(bytes, 74, 1000)).Message);
    }

    [Fact]
    public void A_valid_index_over_the_memory_budget_is_refused_and_loads_within_a_larger_one()
    {
        // 40,000 8-d vectors: 1.28 MB of floats.
        using var index = FaissIndex.Create(D, "Flat");
        index.Add(TestData.ClusteredVectors(40_000, D));
        var bytes = index.Serialize();

        var error = Assert.Throws<FaissException>(() => FaissIndex.Deserialize(bytes, new FaissIndexOptions { MaxMemoryBytes = 1 << 20 }));
        Assert.Equal(FaissErrorKind.MemoryBudgetExceeded, error.Kind);

        using var loaded = FaissIndex.Deserialize(bytes, new FaissIndexOptions { MaxMemoryBytes = 2 << 20 });
        Assert.Equal(40_000, loaded.Count);
    }

    [Fact]
    public void Memory_mapped_inverted_lists_do_not_count_against_the_budget()
    {
        using var dir = new TempDirectory();
        var data = TestData.ClusteredVectors(40_000, D);
        using var index = FaissIndex.Create(D, "IVF4,Flat");
        index.Train(data);
        index.Add(data, Enumerable.Range(0, 40_000).Select(i => (long)i).ToArray());
        var path = dir.File("ivf.index");
        index.Save(path);
        var options = new FaissIndexOptions { MaxMemoryBytes = 1 << 20 };

        Assert.Equal(FaissErrorKind.MemoryBudgetExceeded, Assert.Throws<FaissException>(() => FaissIndex.Load(path, FaissIoFlags.None, options)).Kind);
        using var mapped = FaissIndex.Load(path, FaissIoFlags.MemoryMap, options);
        Assert.Equal(40_000, mapped.Count);
        Assert.Equal(index.Search(Query, 5, 4), mapped.Search(Query, 5, 4));
    }

    [Fact]
    public void A_budget_below_one_mebibyte_is_an_invalid_setting()
    {
        var options = new FaissIndexOptions { MaxMemoryBytes = 1000 };

        Assert.Contains("MaxMemoryBytes", options.Validate());
        Assert.Throws<ArgumentException>(() => FaissIndex.Deserialize(Build("Flat"), options));
        Assert.Null(new FaissIndexOptions().Validate());
        Assert.True(FaissIndexOptions.DefaultMaxMemoryBytes >= 1 << 20);
    }

    [Fact]
    public void A_fifo_is_refused_without_blocking()
    {
        using var dir = new TempDirectory();
        var fifo = dir.File("index.fifo");
        var made = ProcessRunner.Run("mkfifo", [fifo], null, TimeSpan.FromSeconds(10));
        Assert.Equal(0, made.ExitCode);

        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<FaissException>(() => FaissIndex.Load(fifo));

        Assert.Equal(FaissErrorKind.CorruptIndex, error.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_directory_is_not_an_index_file()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<FileNotFoundException>(() => FaissIndex.Load(dir.Path));
        Assert.Contains("directory", error.Message);
    }

    private static FaissException Refuse(byte[] bytes)
    {
        var error = Assert.Throws<FaissException>(() => FaissIndex.Deserialize(bytes));
        Assert.Equal("read_index", error.Operation);
        Assert.True(
            error.Kind is FaissErrorKind.CorruptIndex or FaissErrorKind.UnsupportedIndex or FaissErrorKind.MemoryBudgetExceeded,
            $"{error.Kind}: {error.Message}");
        return error;
    }

    /// <summary>The offset of d_out in the PCA's trailer: d_in = 8, d_out = 4, is_trained = 1, then the flat index.</summary>
    private static int FindTransformTrailer(byte[] bytes, int start)
    {
        for (var o = start; o + 13 <= bytes.Length; o++)
        {
            if (Int32At(bytes, o) == 8 && Int32At(bytes, o + 4) == 4 && bytes[o + 8] == 1 && Fourcc(bytes, o + 9) == "IxF2")
            {
                return o + 4;
            }
        }

        throw new InvalidOperationException("transform trailer not found");
    }

    /// <summary>Offsets inside an <c>IHNf</c> file, found by following its length fields.</summary>
    private sealed record HnswLayout(int FirstLevel, int FirstNeighbor, int EntryPoint)
    {
        public static HnswLayout Of(byte[] bytes)
        {
            var at = 37;
            at += 8 + (8 * (int)Int64At(bytes, at)); // assign_probas
            at += 8 + (4 * (int)Int64At(bytes, at)); // cum_nneighbor_per_level
            var firstLevel = at + 8;
            at += 8 + (4 * (int)Int64At(bytes, at)); // levels
            at += 8 + (8 * (int)Int64At(bytes, at)); // offsets
            var firstNeighbor = at + 8;
            at += 8 + (4 * (int)Int64At(bytes, at)); // neighbors
            Assert.Equal("IxF2", Fourcc(bytes, at + 20));
            return new HnswLayout(firstLevel, firstNeighbor, at);
        }
    }
}
