using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Items;

public sealed class CsvItemSourceTests
{
    [Fact]
    public async Task Reads_id_image_brand_and_extra_columns_with_quoted_fields()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"),
            "id,image,brand,title\r\n" +
            "p1,img/p1.jpg,Acme,\"Shoe, red\"\r\n" +
            "p2,https://example.test/p2.png,,\"A \"\"quoted\"\"\nline\"\r\n");

        var items = await new CsvItemSource(dir.File("items.csv")).ToListAsync();

        Assert.Equal(2, items.Count);
        Assert.Equal("p1", items[0].Id);
        Assert.Equal(Path.Combine(dir.Path, "img", "p1.jpg"), items[0].ImageLocation);
        Assert.Equal("Acme", items[0].Brand);
        Assert.Equal("Shoe, red", items[0].Attributes!["title"]);
        Assert.Equal("https://example.test/p2.png", items[1].ImageLocation);
        Assert.Null(items[1].Brand);
        Assert.Equal("A \"quoted\"\nline", items[1].Attributes!["title"]);
    }

    [Fact]
    public async Task Absolute_paths_and_file_uris_are_kept_local()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), $"id,image\na,/data/a.png\nb,file:///data/b.png\n");

        var items = await new CsvItemSource(dir.File("items.csv")).ToListAsync();

        Assert.Equal(["/data/a.png", "/data/b.png"], items.Select(i => i.ImageLocation));
    }

    [Fact]
    public async Task A_row_with_the_wrong_field_count_becomes_an_invalid_item_naming_its_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), "id,image,brand\na,a.png,x\nb,b.png\nc,c.png,z\n");

        var items = await new CsvItemSource(dir.File("items.csv")).ToListAsync();

        Assert.Equal(["a", "b", "c"], items.Select(i => i.Id));
        Assert.True(InvalidItems.IsInvalid(items[1], out var reason));
        Assert.Contains("line 3", reason);
        Assert.False(InvalidItems.IsInvalid(items[2], out _));
    }

    [Fact]
    public async Task A_row_with_an_empty_id_becomes_an_invalid_item_and_the_read_goes_on()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), "id,image\n,a.png\nb,b.png\n");

        var items = await new CsvItemSource(dir.File("items.csv")).ToListAsync();

        Assert.Equal(["(line 2)", "b"], items.Select(i => i.Id));
        Assert.True(InvalidItems.IsInvalid(items[0], out var reason));
        Assert.Contains("the id is empty", reason);
    }

    [Fact]
    public async Task A_header_without_an_image_column_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), "id,brand\na,x\n");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CsvItemSource(dir.File("items.csv")).ToListAsync());

        Assert.Contains("'image'", error.Message);
    }

    [Fact]
    public async Task AfterId_skips_through_that_id_in_file_order_and_returns_all_when_absent()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("items.csv"), "id,image\nc,c.png\na,a.png\nb,b.png\n");
        var source = new CsvItemSource(dir.File("items.csv"));

        var after = await source.ToListAsync(afterId: "a");
        var unknown = await source.ToListAsync(afterId: "zzz");

        Assert.Equal(["b"], after.Select(i => i.Id));
        Assert.Equal(["c", "a", "b"], unknown.Select(i => i.Id));
    }
}
