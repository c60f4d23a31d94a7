using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;
using static Tessera.Indexing.Mosaics.Tests.MosaicIndexerTests;

namespace Tessera.Indexing.Mosaics.Tests;

/// <summary>Bad input gets a clear typed error and leaves nothing behind; so do cancellation and failures part-way.</summary>
public sealed class MosaicFailureTests
{
    private const int Bands = 8;

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("x..y")]
    [InlineData(".hidden")]
    public void An_unusable_viewport_id_is_refused_before_anything_is_written(string viewport)
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(8, 8, Bands);
        var root = Path.Combine(dir.Path, "out");

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, root, viewport: viewport));

        Assert.Equal(MosaicIndexErrorKind.InvalidViewportId, error.Kind);
        Assert.False(Directory.Exists(root));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-2, 0)]
    [InlineData(4, 4)]
    [InlineData(4, -1)]
    public void A_sampling_factor_below_one_or_an_offset_outside_it_is_refused(int factor, int offset)
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(8, 8, Bands);
        var root = Path.Combine(dir.Path, "out");

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, root, factor: factor, offset: offset));

        Assert.Equal(MosaicIndexErrorKind.InvalidOptions, error.Kind);
        Assert.Contains("sampling", error.Message);
        Assert.False(Directory.Exists(root));
    }

    [Theory]
    [InlineData("NoSuchIndex42")]
    [InlineData("IVF16,PQ7")]
    public void An_index_factory_string_faiss_cannot_build_is_refused_before_reading_the_mosaic(string factory)
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(8, 8, Bands);
        var root = Path.Combine(dir.Path, "out");

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, root, factory: factory));

        Assert.Equal(MosaicIndexErrorKind.InvalidIndexFactory, error.Kind);
        Assert.Contains(factory, error.Message);
        Assert.Empty(raster.Reads);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public void Bands_of_an_unsupported_type_are_refused_naming_the_type()
    {
        using var dir = new TempDirectory();
        using var raster = new InMemoryRaster<short>(4, 4, Bands, new short[4 * 4 * Bands], RasterDataType.Int16);

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, dir.Path));

        Assert.Equal(MosaicIndexErrorKind.UnsupportedDataType, error.Kind);
        Assert.Contains("Int16", error.Message);
    }

    [Fact]
    public void A_band_count_other_than_the_declared_dimension_is_refused()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(8, 8, Bands);
        var options = Options(dir.Path);
        options = new MosaicIndexOptions { ViewportId = options.ViewportId, OutputRoot = options.OutputRoot, ExpectedDimension = 128 };

        var error = Assert.Throws<MosaicIndexException>(() => new MosaicIndexer().Build(raster, options));

        Assert.Equal(MosaicIndexErrorKind.DimensionMismatch, error.Kind);
        Assert.Contains("8 bands", error.Message);
        Assert.Contains("128", error.Message);
    }

    [Fact]
    public void A_raster_without_a_geotransform_is_refused()
    {
        using var dir = new TempDirectory();
        using var plain = TestRasters.Bytes(8, 8, Bands);
        using var raster = new InMemoryRaster<byte>(8, 8, Bands, plain.Data, RasterDataType.Byte) { GeoTransform = null };

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, dir.Path));

        Assert.Equal(MosaicIndexErrorKind.MissingGeoTransform, error.Kind);
    }

    [Fact]
    public void Uint8_storage_of_a_float32_mosaic_is_refused()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Floats(8, 8, Bands);

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, dir.Path, storage: MosaicEmbeddingsType.UInt8));

        Assert.Equal(MosaicIndexErrorKind.InvalidOptions, error.Kind);
        Assert.Contains("uint8", error.Message);
    }

    [Fact]
    public void A_missing_mosaic_file_is_reported_as_not_found()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<MosaicIndexException>(() => new MosaicIndexer().Build(dir.File("nope.tif"), Options(dir.File("out"))));

        Assert.Equal(MosaicIndexErrorKind.SourceNotFound, error.Kind);
        Assert.Contains("nope.tif", error.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_path_without_a_raster_factory_is_refused_with_a_hint_to_add_gdal()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("m.tif"), "not really");

        var error = Assert.Throws<MosaicIndexException>(() => new MosaicIndexer().Build(dir.File("m.tif"), Options(dir.File("out"))));

        Assert.Equal(MosaicIndexErrorKind.NotARaster, error.Kind);
        Assert.Contains("AddGdal", error.Message);
    }

    [Fact]
    public void A_mosaic_whose_pixels_are_all_nodata_fails_clearly_and_leaves_nothing()
    {
        using var dir = new TempDirectory();
        using var raster = new InMemoryRaster<byte>(8, 8, Bands, new byte[8 * 8 * Bands], RasterDataType.Byte);

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, dir.Path));

        Assert.Equal(MosaicIndexErrorKind.TooFewSamples, error.Kind);
        Assert.Contains("nodata", error.Message);
        Assert.Empty(Directory.EnumerateDirectories(dir.Path));
    }

    [Fact]
    public void A_disk_too_small_for_all_embeddings_fails_as_disk_full_and_leaves_no_viewport_or_staging_folder()
    {
        using var dir = new TempDirectory();
        var free = new DriveInfo(dir.Path).AvailableFreeSpace;
        var side = (int)Math.Min(int.MaxValue / Bands, Math.Sqrt((free / 4.0 / Bands) + 1) * 1.5);
        using var huge = new InMemoryRaster<byte>(side, side, Bands, static (p, b) => (byte)(1 + ((p + b) % 250)), RasterDataType.Byte);

        var error = Assert.Throws<MosaicIndexException>(() => Build(huge, dir.Path, factory: "Flat"));

        Assert.Equal(MosaicIndexErrorKind.DiskFull, error.Kind);
        Assert.Contains("disk space", error.Message);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Empty(Directory.EnumerateDirectories(dir.Path));
        Assert.DoesNotContain(huge.Reads, r => r.Height > 1);
    }

    [Fact]
    public void Cancelling_during_the_scan_throws_and_leaves_no_viewport_or_staging_folder()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(32, 64, Bands);
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.Stage == MosaicIndexStage.Scanning)
            {
                cancel.Cancel();
            }
        });
        var options = Options(dir.Path, factory: "Flat", maxReadBytes: 32 * Bands * 4);

        Assert.ThrowsAny<OperationCanceledException>(() => new MosaicIndexer().Build(raster, options, progress, cancel.Token));

        Assert.Empty(Directory.EnumerateDirectories(dir.Path));
        Assert.True(raster.Reads.Count < 16, $"the scan stopped early ({raster.Reads.Count} reads)");
    }

    [Fact]
    public void A_failing_rebuild_keeps_the_previous_valid_viewport_in_place()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 16, Bands);
        var first = Build(raster, dir.Path, factor: 2, factory: "Flat");
        var indexer = new MosaicIndexer(new FailingAddBuilder());

        var error = Assert.Throws<MosaicIndexException>(() => indexer.Build(raster, Options(dir.Path, factor: 2, factory: "Flat", force: true)));

        Assert.Equal(MosaicIndexErrorKind.IndexBuildFailed, error.Kind);
        Assert.Equal(first.Metadata.CreatedUtc, MosaicMetadata.Read(first.MetadataPath).CreatedUtc);
        Assert.Equal(new[] { "vp" }, Directory.EnumerateDirectories(dir.Path).Select(d => Path.GetFileName(d)!).ToArray());
    }

    [Fact]
    public void A_second_concurrent_build_of_the_same_viewport_is_refused_as_busy()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(16, 16, Bands);
        using var held = new FileStream(Path.Combine(dir.Path, ".vp.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.Throws<MosaicIndexException>(() => Build(raster, dir.Path, factor: 2, factory: "Flat"));

        Assert.Equal(MosaicIndexErrorKind.Busy, error.Kind);
        Assert.Empty(Directory.EnumerateDirectories(dir.Path));
    }

    private sealed class FailingAddBuilder : IVectorIndexBuilder
    {
        private readonly FaissIndexBuilder _inner = new();

        public IVectorIndex Create(VectorIndexSpec spec) => _inner.Create(spec);

        public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) => _inner.Train(index, vectors, cancellationToken);

        public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) =>
            throw new FaissException(FaissErrorKind.Runtime, "add_with_ids", "simulated failure");

        public IVectorIndex Load(string path) => _inner.Load(path);

        public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => _inner.Deserialize(data);
    }
}
