using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Items;

public sealed class FolderItemSourceTests
{
    [Fact]
    public async Task Ids_are_relative_paths_without_extension_in_ordinal_order()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "b.png", "a.JPG", "shoes/red-1.webp", "shoes/Blue.jpeg", "notes.txt" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dir.File(name))!);
            File.WriteAllText(dir.File(name), "x");
        }

        var items = await new FolderItemSource(dir.Path).ToListAsync();

        Assert.Equal(["a", "b", "shoes/Blue", "shoes/red-1"], items.Select(i => i.Id));
        Assert.Equal(dir.File("shoes/red-1.webp"), items[3].ImageLocation);
        Assert.All(items, i => Assert.Null(i.Brand));
    }

    [Fact]
    public async Task AfterId_returns_only_later_ids()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "a.png", "b.png", "c.png" })
        {
            File.WriteAllText(dir.File(name), "x");
        }

        var items = await new FolderItemSource(dir.Path).ToListAsync(afterId: "a");

        Assert.Equal(["b", "c"], items.Select(i => i.Id));
    }

    [Fact]
    public async Task The_first_folder_names_the_brand_when_asked()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("acme"));
        File.WriteAllText(dir.File("acme/shoe.png"), "x");
        File.WriteAllText(dir.File("loose.png"), "x");

        var items = await new FolderItemSource(dir.Path, new FolderItemSourceOptions { BrandFromFirstFolder = true }).ToListAsync();

        Assert.Equal("acme", items.Single(i => i.Id == "acme/shoe").Brand);
        Assert.Null(items.Single(i => i.Id == "loose").Brand);
    }

    [Fact]
    public async Task Two_files_with_one_id_are_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.png"), "x");
        File.WriteAllText(dir.File("a.jpg"), "x");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new FolderItemSource(dir.Path).ToListAsync());

        Assert.Contains("'a'", error.Message);
    }
}
