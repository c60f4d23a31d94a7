using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Items;

public sealed class ItemPartitionTests
{
    [Fact]
    public void StableHash_is_64_bit_FNV_1a_of_the_utf8_bytes()
    {
        // Reference values of FNV-1a 64: "" -> offset basis, "a" -> 0xaf63dc4c8601ec8c.
        Assert.Equal(14695981039346656037UL, ItemPartition.StableHash(string.Empty));
        Assert.Equal(0xaf63dc4c8601ec8cUL, ItemPartition.StableHash("a"));

        // Non-ASCII ids hash their UTF-8 bytes.
        ulong hash = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes("café-ü"))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        Assert.Equal(hash, ItemPartition.StableHash("café-ü"));
    }

    [Fact]
    public void Partitions_of_N_cover_every_id_exactly_once()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"item-{i}").ToArray();
        var partitions = Enumerable.Range(0, 3).Select(i => new ItemPartition(i, 3)).ToArray();

        var owners = ids.Select(id => partitions.Count(p => p.Contains(id))).ToArray();
        var sizes = partitions.Select(p => ids.Count(p.Contains)).ToArray();

        Assert.All(owners, n => Assert.Equal(1, n));
        Assert.All(sizes, n => Assert.InRange(n, 250, 420));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/8", 2, 8)]
    public void Parse_reads_i_of_N(string text, int index, int count) =>
        Assert.Equal(new ItemPartition(index, count), ItemPartition.Parse(text));

    [Theory]
    [InlineData("3/3")]
    [InlineData("-1/3")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void Parse_refuses_impossible_partitions(string text) =>
        Assert.Throws<FormatException>(() => ItemPartition.Parse(text));

    [Fact]
    public async Task PartitionedItemSource_keeps_only_its_partitions_items()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), "id,image\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"i{i},{i}.png\n")));
        var partition = new ItemPartition(1, 4);

        var items = await new PartitionedItemSource(new CsvItemSource(dir.File("items.csv")), partition).ToListAsync();

        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(1UL, ItemPartition.StableHash(i.Id) % 4));
        Assert.Equal(Enumerable.Range(0, 50).Count(i => partition.Contains($"i{i}")), items.Count);
    }

    [Fact]
    public void ItemSources_Open_picks_the_source_by_location()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.csv"), "id,image\n");
        File.WriteAllText(dir.File("a.jsonl"), string.Empty);

        Assert.IsType<FolderItemSource>(ItemSources.Open(dir.Path));
        Assert.IsType<CsvItemSource>(ItemSources.Open(dir.File("a.csv")));
        Assert.IsType<JsonLinesItemSource>(ItemSources.Open(dir.File("a.jsonl")));
        Assert.IsType<PartitionedItemSource>(ItemSources.Open(dir.File("a.csv"), new ItemPartition(0, 2)));
        Assert.Throws<ArgumentException>(() => ItemSources.Open(dir.File("a.txt")));
    }
}
