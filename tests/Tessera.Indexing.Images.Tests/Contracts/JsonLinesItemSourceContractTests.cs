using System.Text;
using System.Text.Json;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>The item source contract for a JSON-lines manifest (numeric ids, blank lines).</summary>
public sealed class JsonLinesItemSourceContractTests : ItemSourceContract
{
    protected override BadRowHandling BadRows => BadRowHandling.Invalid;

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items) => Task.FromResult(Write(items, badAfter: null));

    protected override Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex) => Task.FromResult(Write(items, afterIndex));

    private IItemSource Write(IReadOnlyList<ImageItem> items, int? badAfter)
    {
        var lines = new StringBuilder();
        for (var i = 0; i < items.Count; i++)
        {
            // Ids as JSON numbers: the source hands them on as text.
            lines.Append("{\"id\":").Append(items[i].Id).Append(",\"image\":").Append(JsonSerializer.Serialize(items[i].ImageLocation))
                .Append(",\"brand\":").Append(JsonSerializer.Serialize(items[i].Brand)).Append(",\"price\":12.5}\n");
            if (i % 5 == 0)
            {
                lines.Append('\n');
            }

            if (i == badAfter)
            {
                lines.Append("{\"id\":\"bad-1\",\"brand\":\"acme\"}\n");
            }
        }

        var path = Path.Combine(Directory, "items.jsonl");
        File.WriteAllText(path, lines.ToString());
        return new JsonLinesItemSource(path);
    }
}
