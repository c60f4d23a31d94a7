using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Items;
using Tessera.Indexing.Supabase.Tests.Postgres;

namespace Tessera.Indexing.Supabase.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresItemSourceTests(PostgresServer postgres)
{
    private static async Task<List<ImageItem>> ReadAllAsync(IItemSource source, string? afterId = null)
    {
        var items = new List<ImageItem>();
        await foreach (var item in source.ReadAsync(afterId))
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public async Task Numeric_ids_are_read_in_numeric_order_across_pages()
    {
        await postgres.ExecuteAsync("""
            DROP TABLE IF EXISTS product_images;
            CREATE TABLE product_images (id bigint PRIMARY KEY, image_url text, brand text);
            INSERT INTO product_images SELECT g * 3, 'https://img.example/' || g || '.jpg', 'brand-' || (g % 4) FROM generate_series(1, 250) g;
            """);
        await using var source = new PostgresItemSource(postgres.ConnectionString, new SupabaseTableOptions { PageSize = 100 });

        var items = await ReadAllAsync(source);

        Assert.Equal(250, items.Count);
        Assert.Equal(Enumerable.Range(1, 250).Select(g => (g * 3).ToString(System.Globalization.CultureInfo.InvariantCulture)), items.Select(i => i.Id));
        Assert.Equal("https://img.example/4.jpg", items[3].ImageLocation);
        Assert.Equal("brand-0", items[3].Brand);
    }

    [Fact]
    public async Task Resuming_after_a_numeric_id_compares_numerically()
    {
        await postgres.ExecuteAsync("""
            DROP TABLE IF EXISTS nums;
            CREATE TABLE nums (id integer PRIMARY KEY, image_url text, brand text);
            INSERT INTO nums SELECT g, 'u' || g, NULL FROM generate_series(1, 30) g;
            """);
        await using var source = new PostgresItemSource(postgres.ConnectionString, new SupabaseTableOptions { Name = "nums", PageSize = 7 });

        var items = await ReadAllAsync(source, afterId: "9");

        // Text comparison would put "10".."30" before "9"; numeric gives 10..30.
        Assert.Equal(Enumerable.Range(10, 21).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), items.Select(i => i.Id));
        Assert.All(items, i => Assert.Null(i.Brand));
    }

    [Fact]
    public async Task Text_ids_are_keyset_paged_and_rows_without_an_image_are_invalid_items()
    {
        await postgres.ExecuteAsync("""
            DROP SCHEMA IF EXISTS shop CASCADE;
            CREATE SCHEMA shop;
            CREATE TABLE shop."Items" ("Sku" text PRIMARY KEY, "Url" text, maker text);
            INSERT INTO shop."Items" SELECT 'sku-' || lpad(g::text, 3, '0'), CASE WHEN g % 10 = 0 THEN NULL ELSE 'https://cdn/' || g END, 'm' FROM generate_series(1, 45) g;
            """);
        var table = new SupabaseTableOptions { Schema = "shop", Name = "Items", IdColumn = "Sku", ImageUrlColumn = "Url", BrandColumn = "maker", PageSize = 8 };
        await using var source = new PostgresItemSource(postgres.ConnectionString, table);

        var all = await ReadAllAsync(source);
        var resumed = await ReadAllAsync(source, afterId: "sku-020");

        Assert.Equal(45, all.Count);
        Assert.Equal(["sku-010", "sku-020", "sku-030", "sku-040"], all.Where(i => InvalidItems.IsInvalid(i, out _)).Select(i => i.Id));
        Assert.Equal(all.Select(i => i.Id).Order(StringComparer.Ordinal), all.Select(i => i.Id));
        Assert.Equal("sku-021", resumed[0].Id);
        Assert.Equal(all.SkipWhile(i => i.Id != "sku-021").Select(i => i.Id), resumed.Select(i => i.Id));
        Assert.Equal("postgres-table:shop.Items", source.Description);
    }

    [Fact]
    public async Task A_page_size_equal_to_the_row_count_ends_with_one_empty_page()
    {
        await postgres.ExecuteAsync("""
            DROP TABLE IF EXISTS exact;
            CREATE TABLE exact (id bigint PRIMARY KEY, image_url text, brand text);
            INSERT INTO exact SELECT g, 'u' || g, 'b' FROM generate_series(1, 20) g;
            """);
        await using var source = new PostgresItemSource(postgres.ConnectionString, new SupabaseTableOptions { Name = "exact", PageSize = 10 });

        Assert.Equal(20, (await ReadAllAsync(source)).Count);
    }

    [Fact]
    public void An_unsafe_identifier_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PostgresItemSource(postgres.ConnectionString, new SupabaseTableOptions { Name = "x; DROP TABLE y" }));
    }
}
