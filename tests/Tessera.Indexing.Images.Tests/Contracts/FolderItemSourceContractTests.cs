using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>
/// The item source contract for a folder of images (in sub-folders, with a non-image file beside them). Its bad
/// "row" is two images that map to one id.
/// </summary>
public sealed class FolderItemSourceContractTests : ItemSourceContract
{
    protected override BadRowHandling BadRows => BadRowHandling.Throws;

    /// <summary>Ids are the files' paths without extension; all under <c>shop/</c>, so ordinal order is the numbers' order.</summary>
    protected override IReadOnlyList<ImageItem> SampleItems(int count) =>
        Enumerable.Range(1000, count).Select(i => new ImageItem($"shop/{i}", Path.Combine(Root, "shop", $"{i}.png"))).ToArray();

    private string Root => Path.Combine(Directory, "images");

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Root, "shop"));
        foreach (var item in items)
        {
            File.WriteAllBytes(item.ImageLocation, [0x89, 0x50, 0x4E, 0x47]);
        }

        File.WriteAllText(Path.Combine(Root, "shop", "notes.txt"), "not an image");
        return Task.FromResult<IItemSource>(new FolderItemSource(Root));
    }

    protected override async Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex)
    {
        var source = await CreateSourceAsync(items);
        File.WriteAllBytes(Path.ChangeExtension(items[afterIndex].ImageLocation, ".jpg"), [0xFF, 0xD8]);
        return source;
    }
}
