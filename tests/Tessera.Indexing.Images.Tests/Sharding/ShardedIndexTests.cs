using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

public sealed class ShardedIndexTests
{
    [Fact]
    public async Task Search_over_all_shards_returns_each_items_own_id_first()
    {
        using var fixture = new ShardingFixture(27);
        await fixture.Builder().BuildAsync(fixture.Items);

        using var index = await ShardedIndex.LoadAsync(fixture.Store, "color");

        Assert.Equal(3, index.ShardCount);
        Assert.Equal(27, index.Count);
        foreach (var item in new[] { 0, 9, 10, 19, 26 })
        {
            var hits = index.Search(await ShardedImageIndexBuilderTests.Embed(fixture, item), 5);
            Assert.Equal(ShardingFixture.ItemId(item), hits[0].ItemId);
            Assert.Equal(item, hits[0].Label);
            Assert.Equal(1f, hits[0].Score, 4);
            Assert.Equal(5, hits.Count);
            Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
            Assert.Equal(5, hits.Select(h => h.ItemId).Distinct().Count());
        }
    }

    [Fact]
    public async Task Labels_map_back_to_item_ids()
    {
        using var fixture = new ShardingFixture(15);
        await fixture.Builder().BuildAsync(fixture.Items);

        using var index = await ShardedIndex.LoadAsync(fixture.Store, "color");

        Assert.Equal("item-0012", index.GetItemId(12));
        Assert.True(index.TryGetLabel("item-0004", out var label));
        Assert.Equal(4, label);
        Assert.Null(index.GetItemId(15));
    }

    [Fact]
    public async Task Loading_refuses_a_shard_whose_checksum_does_not_match()
    {
        using var fixture = new ShardingFixture(15);
        await fixture.Builder().BuildAsync(fixture.Items);
        var path = Path.Combine(fixture.StorePath, "histogram_color_shard_00001.index");
        var bytes = File.ReadAllBytes(path);
        bytes[100] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => ShardedIndex.LoadAsync(fixture.Store, "color"));

        Assert.Equal(ShardStoreErrorKind.Corrupt, error.Kind);
        Assert.Equal("histogram_color_shard_00001.index", error.ObjectName);
    }

    [Fact]
    public async Task Loading_a_type_that_was_never_built_names_what_is_missing()
    {
        using var fixture = new ShardingFixture(3);
        await fixture.Builder().BuildAsync(fixture.Items);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => ShardedIndex.LoadAsync(fixture.Store, "structure"));

        Assert.Equal(ShardStoreErrorKind.NotFound, error.Kind);
        Assert.Contains("histogram_structure_manifest.json", error.Message);
    }
}
