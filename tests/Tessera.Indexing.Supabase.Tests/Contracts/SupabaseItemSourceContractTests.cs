using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Tests.Support;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Supabase.Tests.Contracts;

/// <summary>
/// The item source contract for a Supabase table read through PostgREST (the fake server), numeric ids, pages of 7
/// rows so every test crosses pages. Rows without an image URL are skipped.
/// </summary>
public sealed class SupabaseItemSourceContractTests : ItemSourceContract
{
    private SupabaseTestContext? _context;

    protected override BadRowHandling BadRows => BadRowHandling.Invalid;

    protected override IEnumerable<string> Secrets => _context is null ? [] : [_context.Key];

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items) => CreateAsync(items, badAfter: null);

    protected override Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex) => CreateAsync(items, afterIndex);

    public override async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task<IItemSource> CreateAsync(IReadOnlyList<ImageItem> items, int? badAfter)
    {
        _context = await SupabaseTestContext.StartAsync(o => o.Table.PageSize = 7);
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 0; i < items.Count; i++)
        {
            rows.Add(Row(long.Parse(items[i].Id, System.Globalization.CultureInfo.InvariantCulture), items[i].ImageLocation, items[i].Brand));
            if (i == badAfter)
            {
                rows.Add(Row(long.Parse(items[i].Id, System.Globalization.CultureInfo.InvariantCulture) * 10, null, "acme"));
            }
        }

        // Stored out of order: the source, not the table, defines the order.
        rows.Reverse();
        _context.Server.SetTable("product_images", rows);
        return _context.Services.GetRequiredKeyedService<IItemSource>("supabase");
    }

    private static Dictionary<string, object?> Row(long id, string? url, string? brand) =>
        new() { ["id"] = id, ["image_url"] = url, ["brand"] = brand, ["price"] = 10L };
}
