using System.Text.Json;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Building;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests;

public sealed class MosaicIndexerTests
{
    private const int Bands = 16;

    [Fact]
    public void All_embeddings_holds_every_pixel_divided_by_255_row_major_by_pixel()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(37, 23, Bands);

        var result = Build(raster, dir.Path);

        using var npy = NpyMemoryMappedArray.Open(result.AllEmbeddingsPath);
        Assert.Equal(NpyDataType.Float32, npy.DataType);
        Assert.Equal([37L * 23, Bands], npy.Shape);
        var expected = raster.Data.Select(b => b / 255f).ToArray();
        Assert.Equal(expected, npy.AsSpan<float>().ToArray());
    }

    [Fact]
    public void The_index_holds_the_sampled_pixels_labelled_with_their_linear_pixel_index()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(81, 62, Bands);

        var result = Build(raster, dir.Path, factor: 4, offset: 1, factory: "IVF4,Flat");

        var expected = SampledPixels(81, 62, 4, 1).ToHashSet();
        Assert.Equal(expected.Count, result.SampledPixels);
        using var index = FaissIndex.Load(result.IndexPath);
        Assert.Equal(expected.Count, index.Count);
        var labels = Enumerable.Range(0, 4).SelectMany(list => index.GetList(list).Ids).ToHashSet();
        Assert.Equal(expected, labels);
    }

    [Fact]
    public void Each_indexed_vector_is_its_pixel_divided_by_255()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(20, 20, Bands);

        var result = Build(raster, dir.Path, factor: 3, factory: "Flat");

        using var index = FaissIndex.Load(result.IndexPath);
        foreach (var pixel in SampledPixels(20, 20, 3, 0))
        {
            var query = raster.Data.AsSpan((int)pixel * Bands, Bands).ToArray().Select(b => b / 255f).ToArray();
            var hit = index.Search(query, 1)[0];
            Assert.Equal(pixel, hit.Label);
            Assert.Equal(0f, hit.Distance);
        }
    }

    [Fact]
    public void A_flat_factory_string_is_wrapped_in_IDMap2_so_labels_are_pixel_indexes()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(20, 10, Bands);

        var result = Build(raster, dir.Path, factor: 5, offset: 2, factory: "Flat");

        Assert.Equal("IDMap2,Flat", result.Metadata.FaissIndexType);
        Assert.Equal("Flat", result.Metadata.FaissIndexTypeRequested);
        using var index = FaissIndex.Load(result.IndexPath);
        var query = raster.Data.AsSpan((2 * 20 + 7) * Bands, Bands).ToArray().Select(b => b / 255f).ToArray();
        var hits = index.Search(query, 1);
        Assert.Equal((2 * 20) + 7, hits[0].Label);
        Assert.Equal(0f, hits[0].Distance);
    }

    [Fact]
    public void Nodata_pixels_all_zero_are_skipped_from_the_index_and_counted()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(32, 24, Bands, zeroCorner: 10);

        var result = Build(raster, dir.Path, factor: 2, factory: "IVF2,Flat");

        var sampled = SampledPixels(32, 24, 2, 0).ToArray();
        var sampledNodata = sampled.Count(p => p / 32 < 10 && p % 32 < 10);
        Assert.Equal(100, result.Metadata.NodataPixels);
        Assert.Equal(sampledNodata, result.Metadata.NodataSampledPixels);
        Assert.Equal(sampled.Length - sampledNodata, result.SampledPixels);
        Assert.Equal(result.SampledPixels, result.Metadata.IndexNtotal);
        using var index = FaissIndex.Load(result.IndexPath);
        var labels = Enumerable.Range(0, 2).SelectMany(l => index.GetList(l).Ids).ToArray();
        Assert.DoesNotContain(labels, p => p / 32 < 10 && p % 32 < 10);
    }

    [Fact]
    public void Pixels_equal_to_the_declared_nodata_value_in_every_band_are_skipped()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 16, Bands, noData: 200);
        raster.Data.AsSpan(0, 3 * Bands).Fill(200); // pixels 0, 1, 2
        raster.Data[(5 * Bands) + 3] = 200; // one band only: not nodata

        var result = Build(raster, dir.Path, factor: 1, factory: "Flat");

        Assert.Equal(3, result.Metadata.NodataPixels);
        Assert.Equal(256 - 3, result.SampledPixels);
        Assert.Equal(200.0, result.Metadata.SourceNodata);
    }

    [Fact]
    public void A_float32_mosaic_is_stored_and_indexed_as_is()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Floats(12, 9, 8);

        var result = Build(raster, dir.Path, factor: 2, factory: "Flat");

        using var npy = NpyMemoryMappedArray.Open(result.AllEmbeddingsPath);
        Assert.Equal(raster.Data, npy.AsSpan<float>().ToArray());
        using var index = FaissIndex.Load(result.IndexPath);
        var hit = index.Search(raster.Data.AsSpan(((2 * 12) + 4) * 8, 8), 1)[0];
        Assert.Equal((2 * 12) + 4, hit.Label);
        Assert.Equal(0f, hit.Distance);
        Assert.Equal(RasterDataType.Float32, result.Metadata.SourceDataType);
    }

    [Fact]
    public void A_float32_pixel_with_a_nan_band_is_nodata()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Floats(6, 6, 8);
        raster.Data[(7 * 8) + 5] = float.NaN;

        var result = Build(raster, dir.Path, factor: 1, factory: "Flat");

        Assert.Equal(1, result.Metadata.NodataPixels);
        Assert.Equal(35, result.SampledPixels);
    }

    [Fact]
    public void Uint8_storage_keeps_the_bytes_and_records_a_scale_of_one_255th()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(21, 13, Bands);

        var result = Build(raster, dir.Path, storage: MosaicEmbeddingsType.UInt8);

        using var npy = NpyMemoryMappedArray.Open(result.AllEmbeddingsPath);
        Assert.Equal(NpyDataType.UInt8, npy.DataType);
        Assert.Equal(raster.Data, npy.AsSpan<byte>().ToArray());
        Assert.Equal(MosaicEmbeddingsType.UInt8, result.Metadata.AllEmbeddingsDtype);
        Assert.Equal(1.0 / 255.0, result.Metadata.AllEmbeddingsScale);
        Assert.Equal(npy.Header.FileLength, new FileInfo(result.AllEmbeddingsPath).Length);
    }

    [Fact]
    public void Normalised_builds_index_unit_vectors_and_say_so_in_the_metadata()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(10, 10, Bands);

        var result = Build(raster, dir.Path, factor: 3, factory: "Flat", normalize: true, metric: VectorMetric.InnerProduct);

        using var index = FaissIndex.Load(result.IndexPath);
        Assert.Equal(VectorMetric.InnerProduct, index.Metric);
        var pixel = raster.Data.AsSpan(33 * Bands, Bands).ToArray().Select(b => b / 255f).ToArray();
        var norm = (float)Math.Sqrt(TestData.Dot(pixel, pixel));
        var unit = pixel.Select(v => v / norm).ToArray();

        // Inner product 1 with the unit query: the indexed vector is the unit vector, not the raw pixel (whose score would be its norm).
        var hit = index.Search(unit, 1)[0];
        Assert.Equal(33, hit.Label);
        Assert.Equal(1.0, hit.Distance, 5);
        Assert.True(result.Metadata.Normalized);
        Assert.Equal(VectorMetric.InnerProduct, result.Metadata.Metric);
    }

    [Fact]
    public void Nlist_is_lowered_to_what_the_training_set_supports_and_recorded()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(40, 40, Bands);

        // 400 samples: 39 per list allows 10 lists, not 64.
        var result = Build(raster, dir.Path, factor: 2, factory: "IVF64,Flat");

        Assert.Equal(10, result.Metadata.Nlist);
        Assert.Equal("IVF10,Flat", result.Metadata.FaissIndexType);
        using var index = FaissIndex.Load(result.IndexPath);
        Assert.Equal(10, index.GetIvfInfo().NList);
    }

    [Fact]
    public void The_training_set_is_capped_at_the_train_size_and_recorded()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(40, 40, Bands);

        var result = Build(raster, dir.Path, factor: 1, factory: "IVF4,Flat", trainSize: 300);

        Assert.Equal(300, result.Metadata.TrainSizeUsed);
        Assert.Equal(1600, result.SampledPixels);
    }

    [Fact]
    public void A_product_quantiser_with_fewer_samples_than_its_256_centroids_fails_clearly_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(20, 20, Bands);
        var root = Path.Combine(dir.Path, "out");

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, root, factor: 2, factory: "IVF1,PQ4"));

        Assert.Equal(MosaicIndexErrorKind.TooFewSamples, error.Kind);
        Assert.Contains("at least 256", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "vp")));
        Assert.Empty(Directory.EnumerateDirectories(root));
    }

    [Fact]
    public void A_product_quantiser_index_builds_when_enough_samples_exist()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(48, 48, Bands);

        var result = Build(raster, dir.Path, factor: 2, factory: "IVF2,PQ4np");

        using var index = FaissIndex.Load(result.IndexPath);
        Assert.Equal(576, index.Count);
        Assert.True(index.GetIvfInfo().IsProductQuantized);
    }

    [Fact]
    public void The_metadata_has_every_field_of_the_seed_schema_with_the_mosaics_values()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(60, 40, Bands);

        var result = Build(raster, dir.Path, factor: 4, factory: "IVF2,Flat");

        using var json = JsonDocument.Parse(File.ReadAllText(result.MetadataPath));
        var root = json.RootElement;
        string[] seedFields = ["viewport_id", "mosaic_file", "num_total_pixels", "num_sampled_pixels", "sampling_factor", "embedding_dim",
            "pixel_size_meters", "mosaic_height", "mosaic_width", "geotransform", "crs", "faiss_index_type"];
        foreach (var field in seedFields)
        {
            Assert.True(root.TryGetProperty(field, out _), $"metadata.json lacks '{field}'");
        }

        Assert.Equal("vp", root.GetProperty("viewport_id").GetString());
        Assert.Equal(2400, root.GetProperty("num_total_pixels").GetInt64());
        Assert.Equal(result.SampledPixels, root.GetProperty("num_sampled_pixels").GetInt64());
        Assert.Equal(4, root.GetProperty("sampling_factor").GetInt32());
        Assert.Equal(Bands, root.GetProperty("embedding_dim").GetInt32());
        Assert.Equal(40, root.GetProperty("mosaic_height").GetInt32());
        Assert.Equal(60, root.GetProperty("mosaic_width").GetInt32());
        Assert.Equal(raster.GeoTransform!.Value.ToArray(), root.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        Assert.Equal("EPSG:4326", root.GetProperty("crs").GetString());
        Assert.Equal("IVF2,Flat", root.GetProperty("faiss_index_type").GetString());
        Assert.Equal("l2", root.GetProperty("metric").GetString());
        Assert.Equal("float32", root.GetProperty("all_embeddings_dtype").GetString());
        Assert.Equal("byte", root.GetProperty("source_data_type").GetString());
        Assert.Equal(new FileInfo(result.IndexPath).Length, root.GetProperty("file_sizes").GetProperty("embeddings.index").GetInt64());
        Assert.Equal(new FileInfo(result.AllEmbeddingsPath).Length, root.GetProperty("file_sizes").GetProperty("all_embeddings.npy").GetInt64());
        // 0.0001 degrees near 13 N: about 10.8 m east-west and 11.1 m north-south.
        Assert.InRange(root.GetProperty("pixel_size_meters").GetDouble(), 10.5, 11.5);
        Assert.StartsWith("sha256:", root.GetProperty("source_fingerprint").GetProperty("sample_hash").GetString());
    }

    [Fact]
    public void Metadata_round_trips_through_its_record()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(12, 12, Bands);
        var result = Build(raster, dir.Path, factor: 2, factory: "Flat");

        var read = MosaicMetadata.Read(result.MetadataPath);

        Assert.Equal(result.Metadata.SourceFingerprint, read.SourceFingerprint);
        Assert.Equal(result.Metadata.Geotransform, read.Geotransform);
        Assert.Equal(result.Metadata.CreatedUtc, read.CreatedUtc);
        Assert.Equal(result.Metadata.FileSizes, read.FileSizes);
        Assert.Equal(result.Metadata.AllEmbeddingsShape, read.AllEmbeddingsShape);
    }

    [Fact]
    public void The_raster_is_read_in_row_blocks_aligned_to_its_block_height_within_the_read_budget()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 50, Bands);
        var file = dir.File("mosaic.bin");
        File.WriteAllBytes(file, raster.Data); // a real file: the fingerprint hashes it instead of reading rows
        var tiled = new InMemoryRaster<byte>(16, 50, Bands, raster.Data, RasterDataType.Byte) { BlockSize = (16, 8), Path = file };

        // 16 px x 16 bands = 256 bytes a row; 5000 bytes allow 19 rows, so two blocks of 8 rows.
        Build(tiled, dir.Path, factory: "Flat", maxReadBytes: 5000);

        Assert.Equal([0, 16, 32, 48], tiled.Reads.Select(r => r.Y).ToArray());
        Assert.All(tiled.Reads, r => Assert.Equal(16, r.Width));
        Assert.Equal([16, 16, 16, 2], tiled.Reads.Select(r => r.Height).ToArray());
    }

    [Theory]
    [InlineData(64L << 20, 564_224, 256, 4408, 0)]
    [InlineData(1000, 100, 4, 50, 8)]
    [InlineData(1000, 100, 16, 50, 8)]
    [InlineData(1000, 100, 7, 50, 7)]
    [InlineData(500, 100, 7, 50, 1)]
    [InlineData(10, 100, 16, 50, 1)]
    [InlineData(1L << 40, 100, 1, 50, 50)]
    public void Rows_per_read_are_whole_blocks_within_budget_or_a_divisor_of_the_block_height(long maxBytes, long rowBytes, int blockHeight, int height, int expected)
    {
        var rows = ScanStage.PlanRowsPerRead(maxBytes, rowBytes, blockHeight, height);

        if (expected == 0)
        {
            // The seed mosaic: 4408 x 128 bytes a row, 256-row tiles, 64 MiB: a divisor of 256.
            Assert.True(256 % rows == 0 && rows * rowBytes <= maxBytes, $"{rows} rows");
        }
        else
        {
            Assert.Equal(expected, rows);
        }
    }

    [Fact]
    public void The_training_subset_is_reproducible_from_its_seed_and_differs_between_seeds()
    {
        var a = TrainStage.SelectTrainingSamples(100_000, 1000, 42).ToArray();
        var b = TrainStage.SelectTrainingSamples(100_000, 1000, 42).ToArray();
        var c = TrainStage.SelectTrainingSamples(100_000, 1000, 43).ToArray();

        Assert.Equal(1000, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a.Order().Distinct().ToArray(), a);
        Assert.True(a[^1] > 50_000, "the subset spreads over the whole range");
    }

    [Fact]
    public void Progress_reports_every_stage_in_order_ending_at_one()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 16, Bands);
        var reports = new List<MosaicIndexProgress>();

        Build(raster, dir.Path, factor: 2, factory: "IVF2,Flat", progress: new SyncProgress(reports.Add));

        var stages = reports.Select(r => r.Stage).Distinct().ToArray();
        Assert.Equal([MosaicIndexStage.Validating, MosaicIndexStage.Scanning, MosaicIndexStage.Training, MosaicIndexStage.Adding, MosaicIndexStage.Saving, MosaicIndexStage.Completed], stages);
        Assert.Equal(1.0, reports[^1].OverallFraction);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.OverallFraction >= p.First.OverallFraction), "overall progress never goes back");
    }

    [Fact]
    public void The_index_builder_from_the_constructor_is_used()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 16, Bands);
        var builder = new CountingBuilder();
        var indexer = new MosaicIndexer(builder);

        var result = indexer.Build(raster, Options(dir.Path, factor: 2, factory: "IVF2,Flat"));

        Assert.Equal(1, builder.Trains);
        Assert.Equal(64, builder.Added);
        Assert.Equal(["IVF1,Flat"], builder.Created); // 64 samples: one list of at least 39 points

        Assert.Same(builder.Indexes[0], builder.Trained[0]);
        Assert.Equal(typeof(CountingBuilder).FullName, result.Metadata.IndexBuilder);
    }

    [Fact]
    public void The_index_created_before_the_scan_is_replaced_only_when_nodata_leaves_too_few_samples_for_its_lists()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(40, 40, Bands, zeroCorner: 28);
        var builder = new CountingBuilder();

        // 400 sampled positions allow 10 lists up front; 196 of them are nodata, leaving 204 samples: 5 lists.
        var result = new MosaicIndexer(builder).Build(raster, Options(dir.Path, factor: 2, factory: "IVF64,Flat"));

        Assert.Equal(["IVF10,Flat", "IVF5,Flat"], builder.Created);
        Assert.Same(builder.Indexes[1], builder.Trained.Single());
        Assert.Equal("IVF5,Flat", result.Metadata.FaissIndexType);
        Assert.Equal(204, result.Metadata.IndexNtotal);
    }

    internal static MosaicIndexResult Build(
        IRasterSource raster,
        string root,
        int factor = 4,
        int offset = 0,
        string factory = "IVF2,Flat",
        MosaicEmbeddingsType storage = MosaicEmbeddingsType.Float32,
        bool normalize = false,
        VectorMetric metric = VectorMetric.L2,
        int trainSize = 65_536,
        long maxReadBytes = 64L << 20,
        IProgress<MosaicIndexProgress>? progress = null,
        bool force = false,
        string viewport = "vp")
    {
        var options = Options(root, factor, offset, factory, storage, normalize, metric, trainSize, maxReadBytes, force, viewport);
        return new MosaicIndexer().Build(raster, options, progress);
    }

    internal static MosaicIndexOptions Options(
        string root,
        int factor = 4,
        int offset = 0,
        string factory = "IVF2,Flat",
        MosaicEmbeddingsType storage = MosaicEmbeddingsType.Float32,
        bool normalize = false,
        VectorMetric metric = VectorMetric.L2,
        int trainSize = 65_536,
        long maxReadBytes = 64L << 20,
        bool force = false,
        string viewport = "vp") => new()
        {
            ViewportId = viewport,
            OutputRoot = root,
            SamplingFactor = factor,
            SamplingOffset = offset,
            IndexFactory = factory,
            AllEmbeddingsType = storage,
            Normalize = normalize,
            Metric = metric,
            TrainSize = trainSize,
            MaxReadBytes = maxReadBytes,
            Force = force,
        };

    internal static IEnumerable<long> SampledPixels(int width, int height, int factor, int offset)
    {
        for (var y = offset; y < height; y += factor)
        {
            for (var x = offset; x < width; x += factor)
            {
                yield return ((long)y * width) + x;
            }
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order.</summary>
    internal sealed class SyncProgress(Action<MosaicIndexProgress> onReport) : IProgress<MosaicIndexProgress>
    {
        public void Report(MosaicIndexProgress value) => onReport(value);
    }

    private sealed class CountingBuilder : IVectorIndexBuilder
    {
        private readonly FaissIndexBuilder _inner = new();

        public int Trains { get; private set; }

        public long Added { get; private set; }

        public List<string> Created { get; } = [];

        public List<IVectorIndex> Indexes { get; } = [];

        public List<IVectorIndex> Trained { get; } = [];

        public IVectorIndex Create(VectorIndexSpec spec)
        {
            Created.Add(spec.FactoryString);
            var index = _inner.Create(spec);
            Indexes.Add(index);
            return index;
        }

        public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default)
        {
            Trains++;
            Trained.Add(index);
            _inner.Train(index, vectors, cancellationToken);
        }

        public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default)
        {
            Added += ids.Length;
            _inner.Add(index, vectors, ids, cancellationToken);
        }

        public IVectorIndex Load(string path) => _inner.Load(path);

        public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => _inner.Deserialize(data);
    }
}
