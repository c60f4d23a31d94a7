using System.Security.Cryptography;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

public sealed class ShardedImageIndexBuilderTests
{
    [Fact]
    public async Task Shards_rotate_at_ItemsPerShard_with_contiguous_labels()
    {
        using var fixture = new ShardingFixture(25);

        var result = await fixture.Builder().BuildAsync(fixture.Items);

        var manifest = StoreFiles.Manifest(fixture.StorePath);
        Assert.Equal(25, result.Indexed);
        Assert.Equal([10L, 10L, 5L], manifest.Shards.Select(s => s.Count));
        Assert.Equal([(0L, 9L), (10L, 19L), (20L, 24L)], manifest.Shards.Select(s => (s.FirstLabel, s.LastLabel)));
        Assert.Equal([true, true, false], manifest.Shards.Select(s => s.Sealed));
        Assert.Equal(
            ["histogram_color_shard_00001.index", "histogram_color_shard_00002.index", "histogram_color_shard_00003.index"],
            manifest.Shards.Select(s => s.Name));
        Assert.Equal(25, manifest.Count);
    }

    [Fact]
    public async Task Shards_rotate_before_their_serialised_size_would_pass_MaxShardBytes()
    {
        using var fixture = new ShardingFixture(20);

        // 64-d float vectors: 256 bytes each after a 45-byte header, so 7 fit under 1,900 bytes and 8 do not.
        var options = new ShardedIndexOptions { ItemsPerShard = 1000, MaxShardBytes = 1900, BatchSize = 5 };
        await fixture.Builder(options).BuildAsync(fixture.Items);

        var manifest = StoreFiles.Manifest(fixture.StorePath);
        Assert.Equal([7L, 7L, 6L], manifest.Shards.Select(s => s.Count));
        Assert.All(manifest.Shards, s => Assert.True(s.Bytes <= 1900, $"{s.Name}: {s.Bytes} bytes"));
        Assert.Equal(45 + (7 * 256), manifest.Shards[0].Bytes);
    }

    [Fact]
    public async Task The_manifest_records_sizes_and_checksums_of_real_faiss_files()
    {
        using var fixture = new ShardingFixture(12);

        await fixture.Builder().BuildAsync(fixture.Items);

        foreach (var entry in StoreFiles.Manifest(fixture.StorePath).Shards)
        {
            var path = Path.Combine(fixture.StorePath, entry.Name);
            var bytes = File.ReadAllBytes(path);
            using var index = FaissIndex.Load(path);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), entry.Sha256);
            Assert.Equal(bytes.Length, entry.Bytes);
            Assert.Equal(entry.Count, index.Count);
            Assert.Equal(64, index.Dimension);
            Assert.Equal(VectorMetric.InnerProduct, index.Metric);
            Assert.Equal("Flat", entry.Factory);
            Assert.Equal(64, entry.Dimension);
        }
    }

    [Fact]
    public async Task The_id_map_maps_every_label_to_its_item_once()
    {
        using var fixture = new ShardingFixture(23);

        await fixture.Builder().BuildAsync(fixture.Items);

        var fromSegments = StoreFiles.IdMap(fixture.StorePath);
        var whole = StoreFiles.Json(fixture.StorePath, "histogram_color_id_map.json");
        Assert.Equal(Enumerable.Range(0, 23).Select(i => ((long)i, ShardingFixture.ItemId(i))), fromSegments);
        Assert.Equal(23, whole["count"]!.GetValue<long>());
        Assert.Equal("item-0017", whole["labels"]!["17"]!.GetValue<string>());
        Assert.Equal(23, whole["labels"]!.AsObject().Count);
    }

    [Fact]
    public async Task Progress_records_counts_brands_shards_and_completion()
    {
        using var fixture = new ShardingFixture(21, brands: ["acme", "globex", "initech"]);

        var result = await fixture.Builder().BuildAsync(fixture.Items);

        var progress = StoreFiles.Progress(fixture.StorePath);
        Assert.Equal(1, progress.FormatVersion);
        Assert.Equal("histogram", progress.Model);
        Assert.Equal(["color"], progress.Types);
        Assert.True(progress.Completed);
        Assert.Equal(1, progress.Runs);
        Assert.Equal(21, progress.Checkpoint.Indexed);
        Assert.Equal(21, progress.Checkpoint.Processed);
        Assert.Equal("item-0020", progress.Checkpoint.LastId);
        Assert.Equal(21, progress.Indexed["color"]);
        Assert.Equal(new Dictionary<string, long> { ["acme"] = 7, ["globex"] = 7, ["initech"] = 7 }, progress.Brands);
        Assert.Equal(progress.Brands, result.Brands);
        Assert.Equal(3, progress.Shards["color"].Shards);
        Assert.Equal(2, progress.Shards["color"].Sealed);
        Assert.Equal(21, progress.Shards["color"].NextLabel);
    }

    [Fact]
    public async Task Corrupt_and_missing_images_are_recorded_with_reasons_and_do_not_stop_the_run()
    {
        using var fixture = new ShardingFixture(15, corrupt: [3, 9], missing: [5]);

        var result = await fixture.Builder().BuildAsync(fixture.Items);

        var progress = StoreFiles.Progress(fixture.StorePath);
        var ids = StoreFiles.IdMap(fixture.StorePath).Select(e => e.Id).ToList();
        Assert.Equal(12, result.Indexed);
        Assert.Equal(["item-0003", "item-0005", "item-0009"], result.NewFailures.Select(f => f.Id).Order());
        Assert.Equal(3, progress.Failed.Count);
        Assert.Contains("not a supported image format", progress.Failed.Single(f => f.Id == "item-0003").Reason);
        Assert.Contains("does not exist", progress.Failed.Single(f => f.Id == "item-0005").Reason);
        Assert.EndsWith("item-0005.trgb", progress.Failed.Single(f => f.Id == "item-0005").Image);
        Assert.Equal(15, progress.Checkpoint.Processed);
        Assert.DoesNotContain("item-0003", ids);
        Assert.Equal(12, ids.Count);
    }

    [Fact]
    public async Task A_source_whose_every_image_fails_completes_and_checks_aligned()
    {
        using var fixture = new ShardingFixture(3, corrupt: [0, 1, 2]);

        var result = await fixture.Builder().BuildAsync(fixture.Items);
        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        Assert.Equal(0, result.Indexed);
        Assert.Equal(3, result.TotalFailed);
        Assert.True(StoreFiles.Progress(fixture.StorePath).Completed);
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task A_second_run_skips_indexed_and_failed_items_and_a_grown_source_continues_the_labels()
    {
        using var fixture = new ShardingFixture(14, corrupt: [2]);
        await fixture.Builder().BuildAsync(fixture.Items);
        var decodedFirst = fixture.Decoder.Decoded;

        var again = await fixture.Builder().BuildAsync(fixture.Items);
        using var grown = new ShardingFixture(20, corrupt: [2]);
        Directory.Move(fixture.StorePath, grown.StorePath);
        var more = await grown.Builder().BuildAsync(grown.Items);

        Assert.Equal(0, again.Indexed);
        Assert.Equal(14, again.Skipped);
        Assert.Equal(decodedFirst, fixture.Decoder.Decoded);
        Assert.Equal(6, more.Indexed);
        Assert.Equal(2, StoreFiles.Progress(grown.StorePath).Runs - 1);
        var idMap = StoreFiles.IdMap(grown.StorePath);
        Assert.Equal(19, idMap.Count);
        Assert.Equal(Enumerable.Range(0, 19).Select(i => (long)i), idMap.Select(e => e.Label));
        Assert.Equal(idMap.Count, idMap.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Three_types_are_built_side_by_side_over_the_same_items()
    {
        using var fixture = new ShardingFixture(13, corrupt: [4]);

        var result = await fixture.Builder(null, null, "color", "structure", "combined").BuildAsync(fixture.Items);

        Assert.Equal(12, result.Indexed);
        foreach (var type in new[] { "color", "structure", "combined" })
        {
            var manifest = StoreFiles.Manifest(fixture.StorePath, type: type);
            Assert.Equal(12, manifest.Count);
            Assert.Equal([10L, 2L], manifest.Shards.Select(s => s.Count));
            Assert.StartsWith($"histogram_{type}_shard_", manifest.Shards[0].Name);
            Assert.Equal(StoreFiles.IdMap(fixture.StorePath, type: "color"), StoreFiles.IdMap(fixture.StorePath, type: type));
        }
    }

    [Fact]
    public async Task Cancelling_mid_run_and_resuming_loses_and_duplicates_nothing()
    {
        using var fixture = new ShardingFixture(40);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Indexed >= 12)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Builder().BuildAsync(fixture.Items, progress, cancel.Token));
        var partial = StoreFiles.Progress(fixture.StorePath);
        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.False(partial.Completed);
        Assert.Equal(partial.Checkpoint.Indexed, resumed.Skipped);
        Assert.Equal(40 - partial.Checkpoint.Indexed, resumed.Indexed);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => ((long)i, ShardingFixture.ItemId(i))), StoreFiles.IdMap(fixture.StorePath));
        Assert.Equal(2, StoreFiles.Progress(fixture.StorePath).Runs);
    }

    [Fact]
    public async Task A_shard_the_manifest_lists_but_the_store_lost_stops_the_resume_loudly()
    {
        using var fixture = new ShardingFixture(25);
        await fixture.Builder().BuildAsync(fixture.Items);
        File.Delete(Path.Combine(fixture.StorePath, "histogram_color_shard_00002.index"));

        var error = await Assert.ThrowsAsync<ShardAlignmentException>(() => fixture.Builder().BuildAsync(fixture.Items));

        Assert.Contains("histogram_color_shard_00002.index", error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public async Task Resuming_with_another_factory_string_is_refused()
    {
        using var fixture = new ShardingFixture(5);
        await fixture.Builder().BuildAsync(fixture.Items);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => fixture.Builder(new ShardedIndexOptions { FactoryString = "HNSW16" }).BuildAsync(fixture.Items));

        Assert.Contains("'Flat'", error.Message);
        Assert.Contains("'HNSW16'", error.Message);
    }

    [Fact]
    public async Task Any_factory_string_works_including_ones_that_train()
    {
        using var fixture = new ShardingFixture(24);

        await fixture.Builder(new ShardedIndexOptions { FactoryString = "IVF2,Flat", ItemsPerShard = 12, BatchSize = 12 }).BuildAsync(fixture.Items);
        using var index = await ShardedIndex.LoadAsync(fixture.Store, "color");

        Assert.Equal(24, index.Count);
        Assert.All(StoreFiles.Manifest(fixture.StorePath).Shards, s => Assert.Equal("IVF2,Flat", s.Factory));
        var query = await Embed(fixture, 13);
        Assert.Equal("item-0013", index.Search(query, 1)[0].ItemId);
    }

    [Fact]
    public async Task A_partition_builds_only_its_items_under_its_prefix_with_labels_from_its_base()
    {
        using var fixture = new ShardingFixture(30);
        var partition = new ItemPartition(2, 3);

        var result = await fixture.Builder(new ShardedIndexOptions { Partition = partition, ItemsPerShard = 10 }).BuildAsync(fixture.Items);

        var path = Path.Combine(fixture.StorePath, "part-2-of-3");
        var expected = Enumerable.Range(0, 30).Select(ShardingFixture.ItemId).Where(partition.Contains).ToList();
        var idMap = StoreFiles.IdMap(path);
        Assert.Equal(expected.Count, result.Indexed);
        Assert.Equal(expected, idMap.Select(e => e.Id));
        Assert.Equal(2L << 40, idMap[0].Label);
        Assert.Equal("2/3", StoreFiles.Progress(path).Partition);
        Assert.False(File.Exists(Path.Combine(fixture.StorePath, "progress.json")));
    }

    internal static async Task<float[]> Embed(ShardingFixture fixture, int item)
    {
        var embedder = ShardingFixture.Embedders("color")["color"];
        var image = await fixture.Decoder.DecodeAsync(fixture.ImagePath(item));
        return (await embedder.GenerateAsync([image]))[0].Vector.ToArray();
    }

    private sealed class SynchronousProgress(Action<ShardedBuildProgress> report) : IProgress<ShardedBuildProgress>
    {
        public void Report(ShardedBuildProgress value) => report(value);
    }
}
