using System.Runtime.CompilerServices;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>
/// Crashes injected at every kind of write of the commit protocol (30 items, batch 4, 10 per shard):
/// batch 1 uploads shard 1 whole; batch 2 adds batch object 1 of shard 1; batch 3 seals shard 1
/// (whole upload) and opens shard 2 (whole upload); batch 4 adds batch object 1 of shard 2. Each
/// resume must end with every item indexed once, labels 0..29 in item order, and an aligned store.
/// </summary>
public sealed class ShardCrashRecoveryTests
{
    private static readonly IEnumerable<(long, string)> AllThirty = Enumerable.Range(0, 30).Select(i => ((long)i, ShardingFixture.ItemId(i)));

    [Fact]
    public async Task A_crash_after_a_batch_object_before_its_manifest_adopts_the_batch_on_resume()
    {
        using var fixture = new ShardingFixture(30);

        // The fourth manifest write: batch 4's batch object is in the store, the manifest still describes batch 3.
        var manifests = 0;
        await CrashAsync(fixture, (name, _) => name.EndsWith("_manifest.json", StringComparison.Ordinal) && ++manifests == 4);
        Assert.Equal(12, StoreFiles.Manifest(fixture.StorePath).Count);

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("adopted histogram_color_shard_00002.batch_00001.f32", StringComparison.Ordinal));
        Assert.Equal(14, resumed.Indexed);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task A_crash_after_a_whole_upload_before_its_manifest_adopts_the_shard_and_drops_its_batch_objects()
    {
        using var fixture = new ShardingFixture(30);

        // The third manifest write: shard 1 (sealed, 10 vectors) and shard 2 (2 vectors) are uploaded whole; the manifest lists shard 1 as 4 + a batch object of 4.
        var manifests = 0;
        await CrashAsync(fixture, (name, _) => name.EndsWith("_manifest.json", StringComparison.Ordinal) && ++manifests == 3);
        Assert.Equal(8, StoreFiles.Manifest(fixture.StorePath).Count);

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("adopted histogram_color_shard_00001.index: 10 vectors", StringComparison.Ordinal));
        Assert.Contains(resumed.Repairs, r => r.Contains("adopted histogram_color_shard_00002.index: 2 vectors", StringComparison.Ordinal));
        Assert.Contains(resumed.Repairs, r => r.Contains("removed histogram_color_shard_00001.batch_00001.f32", StringComparison.Ordinal));
        Assert.Equal(18, resumed.Indexed);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task A_crash_between_a_segment_and_its_shard_truncates_the_segment_and_keeps_the_batch_objects()
    {
        using var fixture = new ShardingFixture(30);

        // The second upload of shard 1 (its seal): its segment already names 10 items, the index object holds batch 1's 4.
        var shardPuts = 0;
        await CrashAsync(fixture, (name, _) => name == "histogram_color_shard_00001.index" && ++shardPuts == 2);
        Assert.Equal(10, StoreFiles.Json(fixture.StorePath, "histogram_color_shard_00001.ids.json")["ids"]!.AsArray().Count);

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("truncated histogram_color_shard_00001.ids.json from 10 to 4", StringComparison.Ordinal));
        Assert.Equal(22, resumed.Indexed);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task A_crash_between_a_batchs_ids_and_its_vectors_removes_the_orphan_ids_on_resume()
    {
        using var fixture = new ShardingFixture(30);

        await CrashAsync(fixture, (name, _) => name == "histogram_color_shard_00001.batch_00001.f32");
        Assert.True(File.Exists(Path.Combine(fixture.StorePath, "histogram_color_shard_00001.batch_00001.ids.json")));

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("removed histogram_color_shard_00001.batch_00001.ids.json", StringComparison.Ordinal));
        Assert.Equal(26, resumed.Indexed);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task A_crash_before_superseded_batch_objects_are_deleted_removes_them_on_resume()
    {
        using var fixture = new ShardingFixture(30);

        // The third progress write comes after batch 3's manifest and before the deletion of shard 1's batch object.
        var progressPuts = 0;
        await CrashAsync(fixture, (name, _) => name == ShardStoreLayout.ProgressName && ++progressPuts == 3);
        Assert.True(File.Exists(Path.Combine(fixture.StorePath, "histogram_color_shard_00001.batch_00001.f32")));

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("removed histogram_color_shard_00001.batch_00001.f32", StringComparison.Ordinal));
        Assert.Equal(18, resumed.Indexed);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task A_crash_after_a_new_shards_segment_removes_the_orphan_segment_on_resume()
    {
        using var fixture = new ShardingFixture(16);

        await CrashAsync(fixture, (name, _) => name == "histogram_color_shard_00002.index");
        Assert.True(File.Exists(Path.Combine(fixture.StorePath, "histogram_color_shard_00002.ids.json")));

        var resumed = await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Contains(resumed.Repairs, r => r.Contains("removed histogram_color_shard_00002.ids.json", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => ((long)i, ShardingFixture.ItemId(i))), StoreFiles.IdMap(fixture.StorePath));
    }

    [Fact]
    public async Task A_store_interrupted_mid_shard_is_searchable_and_aligned_with_its_batch_objects()
    {
        using var fixture = new ShardingFixture(30);

        // 20 a shard: batch 1 uploads it whole, batches 2 and 3 add batch objects, batch 4's batch object is not yet in the manifest.
        var manifests = 0;
        var crashing = new CrashingShardStore(fixture.Store, (name, _) => name.EndsWith("_manifest.json", StringComparison.Ordinal) && ++manifests == 4);
        var options = new ShardedIndexOptions { ItemsPerShard = 20, BatchSize = 4, DecodeParallelism = 2 };
        await Assert.ThrowsAsync<CrashingShardStore.SimulatedCrashException>(() => fixture.Builder(options, crashing).BuildAsync(fixture.Items));

        var manifest = StoreFiles.Manifest(fixture.StorePath);
        var report = await new AlignmentChecker(fixture.Store).CheckAsync();
        using var index = await ShardedIndex.LoadAsync(fixture.Store, "color");

        Assert.Equal(12, manifest.Count);
        Assert.Equal(4, manifest.Shards[0].IndexCount);
        Assert.Equal([4L, 4L], manifest.Shards[0].Batches!.Select(b => b.Count));
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.Equal(12, report.Vectors);
        Assert.Contains(report.Warnings, w => w.StartsWith("histogram_color_shard_00001.batch_00003.f32 is in the store but not in the manifest", StringComparison.Ordinal));
        Assert.Equal(12, index.Count);
        var hits = index.Search(await ShardedImageIndexBuilderTests.Embed(fixture, 10), 1);
        Assert.Equal((ShardingFixture.ItemId(10), 10L), (hits[0].ItemId, hits[0].Label));
    }

    [Fact]
    public async Task A_finished_store_holds_only_whole_shards()
    {
        using var fixture = new ShardingFixture(25);

        await fixture.Builder().BuildAsync(fixture.Items);

        Assert.Empty(Directory.GetFiles(fixture.StorePath, "*.batch_*"));
        Assert.All(StoreFiles.Manifest(fixture.StorePath).Shards, s => Assert.Null(s.Batches));
        Assert.Equal([10L, 10L, 5L], StoreFiles.Manifest(fixture.StorePath).Shards.Select(s => s.IndexCount));
    }

    [Fact]
    public async Task A_resumed_open_shard_keeps_growing_by_batch_objects_and_is_uploaded_whole_at_the_end()
    {
        using var fixture = new ShardingFixture(30);
        await fixture.Builder().BuildAsync(new FirstItems(fixture.Items, 13));
        var recording = new CrashingShardStore(fixture.Store, (name, _) => false);

        await fixture.Builder(null, recording).BuildAsync(fixture.Items);

        Assert.Equal(
            ["histogram_color_shard_00002.batch_00001.ids.json", "histogram_color_shard_00002.batch_00001.f32", "histogram_color_shard_00002.ids.json", "histogram_color_shard_00002.index"],
            recording.Puts.Where(n => n.Contains("_shard_00002", StringComparison.Ordinal)).ToArray()[..4]);
        await AssertCompleteAsync(fixture);
    }

    [Fact]
    public async Task Two_swapped_ids_in_a_shards_id_list_are_detected_on_resume_and_never_rewritten_as_valid()
    {
        using var fixture = new ShardingFixture(30);
        await fixture.Builder().BuildAsync(new FirstItems(fixture.Items, 13));
        var wholeMapBefore = File.ReadAllText(Path.Combine(fixture.StorePath, "histogram_color_id_map.json"));
        SwapFirstTwoIds(fixture, "histogram_color_shard_00001.ids.json");
        var tampered = File.ReadAllText(Path.Combine(fixture.StorePath, "histogram_color_shard_00001.ids.json"));

        var error = await Assert.ThrowsAsync<ShardAlignmentException>(() => fixture.Builder().BuildAsync(fixture.Items));

        Assert.Contains("histogram_color_shard_00001.ids.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("do not match the checksum", error.Message, StringComparison.Ordinal);
        Assert.Equal(tampered, File.ReadAllText(Path.Combine(fixture.StorePath, "histogram_color_shard_00001.ids.json")));
        Assert.Equal(wholeMapBefore, File.ReadAllText(Path.Combine(fixture.StorePath, "histogram_color_id_map.json")));
        var report = await new AlignmentChecker(fixture.Store).CheckAsync();
        var problem = Assert.Single(report.Problems, p => p.Kind == AlignmentProblemKind.IdMapChecksumMismatch);
        Assert.Equal("histogram_color_shard_00001.ids.json", problem.Object);
    }

    [Fact]
    public async Task Swapped_ids_in_a_listed_batch_object_stop_the_resume_and_are_reported_by_check_alignment()
    {
        using var fixture = new ShardingFixture(30);

        // Shard 1's second segment upload (its seal): the manifest still lists shard 1 as 4 vectors + batch object 1 (4 vectors).
        var segments = 0;
        await CrashAsync(fixture, (name, _) => name == "histogram_color_shard_00001.ids.json" && ++segments == 2);
        Assert.NotNull(StoreFiles.Manifest(fixture.StorePath).Shards[0].Batches);
        SwapFirstTwoIds(fixture, "histogram_color_shard_00001.batch_00001.ids.json");

        var error = await Assert.ThrowsAsync<ShardAlignmentException>(() => fixture.Builder().BuildAsync(fixture.Items));
        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.IdMapChecksumMismatch);
    }

    [Fact]
    public async Task Every_manifest_entry_and_batch_records_the_checksum_of_its_ids()
    {
        using var fixture = new ShardingFixture(30);
        var manifests = 0;
        await CrashAsync(fixture, (name, _) => name.EndsWith("_manifest.json", StringComparison.Ordinal) && ++manifests == 3);

        var manifest = StoreFiles.Manifest(fixture.StorePath);

        var entry = manifest.Shards[0];
        Assert.Matches("^[0-9a-f]{64}$", entry.IdMapSha256);
        Assert.Matches("^[0-9a-f]{64}$", Assert.Single(entry.Batches!).IdsSha256);
        var segment = System.Text.Json.JsonSerializer.Deserialize<IdMapSegment>(
            File.ReadAllBytes(Path.Combine(fixture.StorePath, entry.IdMap)), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(IdMapDigest.Compute(segment, entry.IndexCount), entry.IdMapSha256);
    }

    private static void SwapFirstTwoIds(ShardingFixture fixture, string name) =>
        StoreFiles.Edit(fixture.StorePath, name, segment =>
        {
            var ids = segment["ids"]!.AsArray();
            var (a, b) = (ids[0]!.GetValue<string>(), ids[1]!.GetValue<string>());
            ids[0] = System.Text.Json.Nodes.JsonValue.Create(b);
            ids[1] = System.Text.Json.Nodes.JsonValue.Create(a);
        });

    private static async Task CrashAsync(ShardingFixture fixture, Func<string, int, bool> crashOnPut)
    {
        var crashing = new CrashingShardStore(fixture.Store, crashOnPut);
        await Assert.ThrowsAsync<CrashingShardStore.SimulatedCrashException>(() => fixture.Builder(null, crashing).BuildAsync(fixture.Items));
    }

    private static async Task AssertCompleteAsync(ShardingFixture fixture)
    {
        Assert.Equal(AllThirty, StoreFiles.IdMap(fixture.StorePath));
        Assert.Empty(Directory.GetFiles(fixture.StorePath, "*.batch_*"));
        var report = await new AlignmentChecker(fixture.Store).CheckAsync();
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.DoesNotContain(report.Warnings, w => w.Contains("not in the manifest", StringComparison.Ordinal));
    }

    private sealed class FirstItems(IItemSource inner, int count) : IItemSource
    {
        public string Description => $"the first {count} of {inner.Description}";

        public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var taken = 0;
            await foreach (var item in inner.ReadAsync(afterId, cancellationToken))
            {
                if (taken++ == count)
                {
                    yield break;
                }

                yield return item;
            }
        }
    }
}
