using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.Search;

public sealed class ViewportFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-search");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_uint8_and_a_float32_viewport_of_one_mosaic_give_the_same_threshold_matches()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 45, 38, 16);
        var bytesDir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "bytes", allEmbeddings: MosaicEmbeddingsType.UInt8);
        var floatsDir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "floats", allEmbeddings: MosaicEmbeddingsType.Float32);
        using var bytes = ViewportSearcher.Open(bytesDir);
        using var floats = ViewportSearcher.Open(floatsDir);
        var request = new SimilaritySearchRequest(ViewportQuery.AtPixel(20, 20)) { Threshold = 0.995f, Limit = 10_000 };

        var a = bytes.Search(request);
        var b = floats.Search(request);

        Assert.True(bytes.StoresBytes);
        Assert.False(floats.StoresBytes);
        Assert.InRange(a.Total, 2, (45 * 38) - 100);
        Assert.Equal(a.Matches.Select(m => m.PixelIndex).Order(), b.Matches.Select(m => m.PixelIndex).Order());
    }

    [Theory]
    [InlineData(MosaicEmbeddingsType.UInt8)]
    [InlineData(MosaicEmbeddingsType.Float32)]
    public unsafe void The_build_writes_every_pixels_norm_and_lists_the_file_in_the_metadata(MosaicEmbeddingsType type)
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 23, 19, 16);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", allEmbeddings: type);
        var metadata = MosaicMetadata.Read(Path.Combine(dir, MosaicLayout.MetadataFileName));
        var normsPath = Path.Combine(dir, MosaicLayout.NormsFileName);

        Assert.Equal(new FileInfo(normsPath).Length, metadata.FileSizes[MosaicLayout.NormsFileName]);
        using var embeddings = Tessera.Indexing.Numpy.NpyMemoryMappedArray.Open(Path.Combine(dir, MosaicLayout.AllEmbeddingsFileName));
        using var norms = Tessera.Indexing.Numpy.NpyMemoryMappedArray.Open(normsPath);
        Assert.Equal([23L * 19], norms.Shape);
        var stored = norms.AsSpan<float>();
        for (var row = 0; row < 23 * 19; row++)
        {
            float expected;
            if (type == MosaicEmbeddingsType.UInt8)
            {
                fixed (byte* r = embeddings.GetRow<byte>(row))
                {
                    expected = Tessera.Indexing.Vectors.ScanKernels.Norm(r, 16);
                }
            }
            else
            {
                fixed (float* r = embeddings.GetRow<float>(row))
                {
                    expected = Tessera.Indexing.Vectors.ScanKernels.Norm(r, 16, Tessera.Indexing.Vectors.SimdLevel.Scalar);
                }
            }

            Assert.Equal(expected, stored[row]);
        }
    }

    [Theory]
    [InlineData(MosaicEmbeddingsType.UInt8)]
    [InlineData(MosaicEmbeddingsType.Float32)]
    public void Numpy_reads_the_norms_file_and_finds_the_norms_of_the_stored_rows(MosaicEmbeddingsType type)
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 23, 19, 16);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", allEmbeddings: type);
        const string script = """
            import json, sys
            import numpy as np
            e = np.load(sys.argv[1])
            n = np.load(sys.argv[2])
            expected = np.sqrt((e.astype(np.float64) ** 2).sum(axis=1))
            print(json.dumps({"dtype": str(n.dtype), "shape": list(n.shape),
                              "max_relative_error": float(np.max(np.abs(n - expected) / np.maximum(expected, 1e-30))),
                              "zeros_match": bool(np.array_equal(n == 0, expected == 0))}))
            """;

        var result = Python.RunJson(script, Path.Combine(dir, MosaicLayout.AllEmbeddingsFileName), Path.Combine(dir, MosaicLayout.NormsFileName));

        Assert.Equal("float32", result.GetProperty("dtype").GetString());
        Assert.Equal([23 * 19], result.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.InRange(result.GetProperty("max_relative_error").GetDouble(), 0, 1e-7);
        Assert.True(result.GetProperty("zeros_match").GetBoolean());
    }

    [Theory]
    [InlineData(MosaicEmbeddingsType.UInt8)]
    [InlineData(MosaicEmbeddingsType.Float32)]
    public void A_viewport_without_a_norms_file_gives_the_same_results(MosaicEmbeddingsType type)
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 45, 38, 16);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", allEmbeddings: type);
        var requests = new[]
        {
            new SimilaritySearchRequest(ViewportQuery.AtPixel(20, 20)) { Threshold = 0.995f, Limit = 10_000 },
            new SimilaritySearchRequest(ViewportQuery.AtPixel(7, 30)) { Metric = SimilarityMetric.Euclidean, Threshold = 1e9f, Limit = 50 },
            new SimilaritySearchRequest(ViewportQuery.AtPixel(30, 12)) { TopPercent = 5, Limit = 10_000 },
        };

        IReadOnlyList<SimilaritySearchResult> withNorms;
        using (var searcher = ViewportSearcher.Open(dir))
        {
            withNorms = searcher.SearchBatch(requests);
        }

        File.Delete(Path.Combine(dir, MosaicLayout.NormsFileName));
        using var old = ViewportSearcher.Open(dir);
        var without = old.SearchBatch(requests);

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.True(withNorms[i].Total > 0);
            Assert.Equal(withNorms[i].Total, without[i].Total);
            Assert.Equal(withNorms[i].Matches.Select(m => (m.PixelIndex, m.Score)), without[i].Matches.Select(m => (m.PixelIndex, m.Score)));
        }
    }

    [Fact]
    public void An_opened_viewport_answers_top_k_through_its_faiss_index_with_pixel_ids()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 40, 40, 16);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", factor: 2);
        using var searcher = ViewportSearcher.Open(dir);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(10, 12)) { K = 5, NProbe = 8 });

        Assert.Equal(SearchStrategy.FaissTopK, result.Strategy);
        Assert.Equal(5, result.Matches.Count);
        Assert.Equal((10L * 40) + 12, result.Matches[0].PixelIndex); // the query pixel is sampled (factor 2) and is its own nearest
        Assert.All(result.Matches, m => Assert.True(m.Row % 2 == 0 && m.Col % 2 == 0, "only sampled pixels are in the index"));
        Assert.Equal(ViewportFixtures.OriginLat - (10.5 * ViewportFixtures.Step), result.Matches[0].Latitude, 9);
        Assert.Equal(ViewportFixtures.OriginLon + (12.5 * ViewportFixtures.Step), result.Matches[0].Longitude, 9);
    }

    [Fact]
    public void A_folder_without_viewport_files_is_reported_as_not_found()
    {
        var error = Assert.Throws<ViewportSearchException>(() => ViewportSearcher.Open(_temp.Path));

        Assert.Equal(ViewportSearchErrorKind.ViewportNotFound, error.Kind);
    }

    [Fact]
    public void Embeddings_that_disagree_with_the_metadata_are_an_invalid_viewport()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 20, 20, 8);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", factor: 1, indexFactory: "Flat");
        var other = ViewportFixtures.BuildViewport(ViewportFixtures.WriteMosaic(_temp.File("n.tif"), 21, 20, 8), _temp.File("root"), "w", factor: 1, indexFactory: "Flat");
        File.Copy(Path.Combine(other, MosaicLayout.AllEmbeddingsFileName), Path.Combine(dir, MosaicLayout.AllEmbeddingsFileName), overwrite: true);

        var error = Assert.Throws<ViewportSearchException>(() => ViewportSearcher.Open(dir));

        Assert.Equal(ViewportSearchErrorKind.InvalidViewport, error.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_index_file_is_loaded_through_the_given_builder_and_any_index_it_returns_answers_top_k(bool memoryMap)
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 40, 40, 16);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", factor: 2);
        var builder = new WrappingLoader();

        using var searcher = ViewportSearcher.Open(dir, builder, new ViewportSearcherOptions { MemoryMapIndex = memoryMap });
        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(10, 12)) { K = 3, NProbe = 8 });

        Assert.Equal([(Path.Combine(dir, MosaicLayout.IndexFileName), memoryMap)], builder.Loads);
        Assert.Equal(SearchStrategy.FaissTopK, result.Strategy);
        Assert.Equal((10L * 40) + 12, result.Matches[0].PixelIndex);
        Assert.True(builder.Searches > 0, "top-k went through the builder's index");
    }

    [Fact]
    public void An_index_file_the_builder_cannot_read_is_an_invalid_viewport()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 20, 20, 8);
        var dir = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "v", factor: 1, indexFactory: "Flat");
        File.WriteAllText(Path.Combine(dir, MosaicLayout.IndexFileName), "not an index");

        var error = Assert.Throws<ViewportSearchException>(() => ViewportSearcher.Open(dir));

        Assert.Equal(ViewportSearchErrorKind.InvalidViewport, error.Kind);
        Assert.Contains(MosaicLayout.IndexFileName, error.Message);
    }

    /// <summary>Loads with FAISS but hands out an index of another type, so nothing can cast it to <see cref="FaissIndex"/>.</summary>
    private sealed class WrappingLoader : IVectorIndexBuilder
    {
        private readonly FaissIndexBuilder _inner = new();

        public List<(string Path, bool MemoryMap)> Loads { get; } = [];

        public int Searches { get; set; }

        public IVectorIndex Create(VectorIndexSpec spec) => throw new NotSupportedException();

        public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IVectorIndex Load(string path) => Load(path, new VectorIndexLoadOptions());

        public IVectorIndex Load(string path, VectorIndexLoadOptions options)
        {
            Loads.Add((path, options.MemoryMap));
            return new Wrapped(_inner.Load(path, options), this);
        }

        public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => throw new NotSupportedException();

        /// <summary>Answers searches through the FAISS index it hides; everything a searcher never calls is refused.</summary>
        private sealed class Wrapped(IVectorIndex inner, WrappingLoader owner) : IVectorIndex
        {
            public int Dimension => inner.Dimension;

            public long Count => inner.Count;

            public bool IsTrained => inner.IsTrained;

            public VectorMetric Metric => inner.Metric;

            public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<long> labels, int nprobe = 0)
            {
                owner.Searches++;
                inner.Search(queries, k, distances, labels, nprobe);
            }

            public RangeSearchResult RangeSearch(ReadOnlySpan<float> queries, float radius, int nprobe = 0) => inner.RangeSearch(queries, radius, nprobe);

            public void Dispose() => inner.Dispose();

            void IVectorIndex.Train(ReadOnlySpan<float> vectors) => throw new NotSupportedException();

            void IVectorIndex.Add(ReadOnlySpan<float> vectors) => throw new NotSupportedException();

            void IVectorIndex.Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids) => throw new NotSupportedException();

            void IVectorIndex.Reset() => throw new NotSupportedException();

            void IVectorIndex.Save(string path) => throw new NotSupportedException();

            byte[] IVectorIndex.Serialize() => throw new NotSupportedException();
        }
    }
}
