using System.Text;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>The item source contract for a CSV manifest (quoted fields, an extra column).</summary>
public sealed class CsvItemSourceContractTests : ItemSourceContract
{
    protected override BadRowHandling BadRows => BadRowHandling.Invalid;

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items) => Task.FromResult(Write(items, badAfter: null));

    protected override Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex) => Task.FromResult(Write(items, afterIndex));

    private IItemSource Write(IReadOnlyList<ImageItem> items, int? badAfter)
    {
        var csv = new StringBuilder("id,image,brand,title\n");
        for (var i = 0; i < items.Count; i++)
        {
            csv.Append(items[i].Id).Append(',').Append(items[i].ImageLocation).Append(',').Append(items[i].Brand).Append(",\"a, quoted \"\"title\"\"\"\n");
            if (i == badAfter)
            {
                csv.Append("bad-1,,acme,no image\n");
            }
        }

        var path = Path.Combine(Directory, "items.csv");
        File.WriteAllText(path, csv.ToString());
        return new CsvItemSource(path);
    }
}
