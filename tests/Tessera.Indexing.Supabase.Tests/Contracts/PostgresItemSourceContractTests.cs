using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Items;
using Tessera.Indexing.Supabase.Tests.Postgres;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Supabase.Tests.Contracts;

/// <summary>
/// The item source contract for a Postgres table read through Npgsql (the tests' loopback server), a fresh table per
/// test with bigint ids, pages of 7 rows. Rows without an image URL are skipped.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresItemSourceContractTests(PostgresServer postgres) : ItemSourceContract
{
    private readonly List<PostgresItemSource> _sources = [];

    protected override BadRowHandling BadRows => BadRowHandling.Invalid;

    protected override IEnumerable<string> Secrets => [postgres.ConnectionString];

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items) => CreateAsync(items, badAfter: null);

    protected override Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex) => CreateAsync(items, afterIndex);

    public override async Task DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task<IItemSource> CreateAsync(IReadOnlyList<ImageItem> items, int? badAfter)
    {
        var table = $"contract_{Guid.NewGuid():N}";
        var rows = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            rows.Add($"({items[i].Id}, {Literal(items[i].ImageLocation)}, {Literal(items[i].Brand)})");
            if (i == badAfter)
            {
                rows.Add($"({items[i].Id}0, NULL, 'acme')");
            }
        }

        // Inserted in reverse: the source, not the table, defines the order.
        rows.Reverse();
        await postgres.ExecuteAsync($"CREATE TABLE {table} (id bigint PRIMARY KEY, image_url text, brand text);"
            + (rows.Count == 0 ? string.Empty : $"INSERT INTO {table} VALUES {string.Join(", ", rows)};"));
        var source = new PostgresItemSource(postgres.ConnectionString, new SupabaseTableOptions { Name = table, PageSize = 7 });
        _sources.Add(source);
        return source;
    }

    private static string Literal(string? text) => text is null ? "NULL" : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
