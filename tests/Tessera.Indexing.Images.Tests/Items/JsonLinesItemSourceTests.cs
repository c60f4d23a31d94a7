using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Items;

public sealed class JsonLinesItemSourceTests
{
    [Fact]
    public async Task Reads_objects_with_numeric_ids_and_extra_properties()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.jsonl"),
            "{\"id\": 17, \"image\": \"a/17.png\", \"brand\": \"Acme\", \"price\": 9.5, \"tags\": [\"x\"]}\n" +
            "\n" +
            "{\"id\": \"p2\", \"image_url\": \"https://example.test/p2.jpg\", \"title\": \"Shoe\"}\n");

        var items = await new JsonLinesItemSource(dir.File("items.jsonl")).ToListAsync();

        Assert.Equal(["17", "p2"], items.Select(i => i.Id));
        Assert.Equal(Path.Combine(dir.Path, "a", "17.png"), items[0].ImageLocation);
        Assert.Equal("Acme", items[0].Brand);
        Assert.Equal("9.5", items[0].Attributes!["price"]);
        Assert.Equal("[\"x\"]", items[0].Attributes!["tags"]);
        Assert.Equal("https://example.test/p2.jpg", items[1].ImageLocation);
        Assert.Equal("Shoe", items[1].Attributes!["title"]);
    }

    [Fact]
    public async Task Invalid_json_becomes_an_invalid_item_naming_its_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.jsonl"), "{\"id\":\"a\",\"image\":\"a.png\"}\n{oops\n");

        var items = await new JsonLinesItemSource(dir.File("items.jsonl")).ToListAsync();

        Assert.True(InvalidItems.IsInvalid(items[1], out var reason));
        Assert.Contains("line 2", reason);
    }

    [Fact]
    public async Task An_object_without_an_image_becomes_an_invalid_item()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.jsonl"), "{\"id\":\"a\"}\n");

        var item = Assert.Single(await new JsonLinesItemSource(dir.File("items.jsonl")).ToListAsync());

        Assert.Equal("a", item.Id);
        Assert.True(InvalidItems.IsInvalid(item, out var reason));
        Assert.Contains("'image'", reason);
    }
}
