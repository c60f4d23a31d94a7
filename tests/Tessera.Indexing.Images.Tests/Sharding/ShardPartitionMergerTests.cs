using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

public sealed class ShardPartitionMergerTests
{
    [Fact]
    public async Task Three_partitions_built_at_once_merge_into_one_searchable_aligned_view()
    {
        using var fixture = new ShardingFixture(45, corrupt: [8]);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() =>
            fixture.Builder(new ShardedIndexOptions { Partition = new ItemPartition(i, 3), ItemsPerShard = 6, BatchSize = 4 }).BuildAsync(fixture.Items))));

        var merged = await new ShardPartitionMerger(fixture.Store).MergeAsync();

        Assert.Equal(["part-0-of-3/", "part-1-of-3/", "part-2-of-3/"], merged.Partitions);
        Assert.Equal(44, merged.Vectors["color"]);
        Assert.Equal(1, merged.Failed);
        var manifest = StoreFiles.Manifest(fixture.StorePath);
        Assert.True(manifest.Merged);
        Assert.All(manifest.Shards, s => Assert.StartsWith("part-", s.Name));
        var ids = StoreFiles.IdMap(fixture.StorePath).Select(e => e.Id).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 45).Where(i => i != 8).Select(ShardingFixture.ItemId), ids);
        Assert.Equal(44, StoreFiles.Json(fixture.StorePath, "histogram_color_id_map.json")["labels"]!.AsObject().Count);
        Assert.Equal(44, StoreFiles.Progress(fixture.StorePath).Brands.Values.Sum());

        using var index = await ShardedIndex.LoadAsync(fixture.Store, "color");
        var hit = index.Search(await ShardedImageIndexBuilderTests.Embed(fixture, 31), 1)[0];
        Assert.Equal("item-0031", hit.ItemId);
        Assert.Equal((long)new[] { 0, 1, 2 }.Single(p => new ItemPartition(p, 3).Contains("item-0031")), hit.Label >> 40);

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(new AlignmentCheckOptions
        {
            Embedders = ShardingFixture.Embedders("color"),
            Decoder = fixture.Decoder,
            Items = fixture.Items,
        });
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.True(report.SamplesChecked > 0);
    }

    [Fact]
    public async Task Merging_with_a_partition_missing_is_refused_unless_allowed()
    {
        using var fixture = new ShardingFixture(20);
        foreach (var i in new[] { 0, 2 })
        {
            await fixture.Builder(new ShardedIndexOptions { Partition = new ItemPartition(i, 3) }).BuildAsync(fixture.Items);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new ShardPartitionMerger(fixture.Store).MergeAsync());
        var partial = await new ShardPartitionMerger(fixture.Store).MergeAsync(allowIncomplete: true);

        Assert.Contains("part-1-of-3/", error.Message);
        Assert.Equal(["part-1-of-3/"], partial.Incomplete);
        Assert.False(StoreFiles.Progress(fixture.StorePath).Completed);
    }

    [Fact]
    public async Task A_build_into_the_merged_root_is_refused()
    {
        using var fixture = new ShardingFixture(10);
        await fixture.Builder(new ShardedIndexOptions { Partition = new ItemPartition(0, 1) }).BuildAsync(fixture.Items);
        await new ShardPartitionMerger(fixture.Store).MergeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.Builder().BuildAsync(fixture.Items));

        Assert.Contains("merged", error.Message);
    }
}
