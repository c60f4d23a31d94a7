using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;

namespace Tessera.Indexing.Images.Tests.Items;

internal static class ItemSourceTestExtensions
{
    public static async Task<List<ImageItem>> ToListAsync(this IItemSource source, string? afterId = null)
    {
        var items = new List<ImageItem>();
        await foreach (var item in source.ReadAsync(afterId))
        {
            items.Add(item);
        }

        return items;
    }
}
