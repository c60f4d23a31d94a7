using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Supabase.Items;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

public sealed class SupabaseItemSourceTests
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

    private static IItemSource Source(SupabaseTestContext t) => t.Services.GetRequiredKeyedService<IItemSource>("supabase");

    private static Dictionary<string, object?> Row(object id, string? url, string? brand) => new() { ["id"] = id, ["image_url"] = url, ["brand"] = brand, ["price"] = 10L };

    [Fact]
    public async Task Numeric_ids_are_keyset_paged_in_numeric_order_across_pages()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.SetTable("product_images", Enumerable.Range(1, 2345).Reverse().Select(i => Row((long)i * 2, $"https://img/{i}.jpg", $"b{i % 3}")));

        var items = await ReadAllAsync(Source(t));

        Assert.Equal(Enumerable.Range(1, 2345).Select(i => (i * 2).ToString(CultureInfo.InvariantCulture)), items.Select(i => i.Id));
        Assert.Equal("https://img/5.jpg", items[4].ImageLocation);
        Assert.Equal("b2", items[4].Brand);
        var queries = t.Server.Requests.Where(r => r.Path == "/rest/v1/product_images").Select(r => Uri.UnescapeDataString(r.Query)).ToList();
        Assert.Equal(
            [
                "?select=id,image_url,brand&order=id.asc&limit=1000",
                "?select=id,image_url,brand&id=gt.2000&order=id.asc&limit=1000",
                "?select=id,image_url,brand&id=gt.4000&order=id.asc&limit=1000",
            ],
            queries);
    }

    [Fact]
    public async Task Text_ids_are_keyset_paged_and_resume_after_an_id()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Table.PageSize = 7);
        t.Server.SetTable("product_images", Enumerable.Range(1, 30).Select(i => Row($"sku-{i:D3}", $"https://img/{i}", null)));

        var all = await ReadAllAsync(Source(t));
        var resumed = await ReadAllAsync(Source(t), afterId: "sku-012");

        Assert.Equal(30, all.Count);
        Assert.Equal(Enumerable.Range(13, 18).Select(i => $"sku-{i:D3}"), resumed.Select(i => i.Id));
        Assert.All(all, i => Assert.Null(i.Brand));
    }

    [Fact]
    public async Task Rows_without_an_image_url_become_invalid_items_without_stopping_the_paging()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Table.PageSize = 5);
        t.Server.SetTable("product_images", Enumerable.Range(1, 20).Select(i => Row((long)i, i % 5 == 0 ? null : $"u{i}", "b")));

        var items = await ReadAllAsync(Source(t));

        Assert.Equal(20, items.Count);
        Assert.Equal("20", items[^1].Id);
        Assert.Equal(["5", "10", "15", "20"], items.Where(i => InvalidItems.IsInvalid(i, out _)).Select(i => i.Id));
        Assert.True(InvalidItems.IsInvalid(items[4], out var reason));
        Assert.Contains("no image URL", reason, StringComparison.Ordinal);
        Assert.Contains(t.Logs.Lines, l => l.Contains("Item 5 of product_images has no image URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_custom_table_and_columns_are_read()
    {
        await using var t = await SupabaseTestContext.StartAsync(o =>
        {
            o.Table.Name = "catalogue";
            o.Table.IdColumn = "sku";
            o.Table.ImageUrlColumn = "photo";
            o.Table.BrandColumn = "maker";
        });
        t.Server.SetTable("catalogue", [new Dictionary<string, object?> { ["sku"] = "a1", ["photo"] = "https://x/a1.png", ["maker"] = "Acme" }]);

        var items = await ReadAllAsync(Source(t));

        Assert.Equal([new ImageItem("a1", "https://x/a1.png", "Acme")], items);
        Assert.Equal("?select=sku,photo,maker&order=sku.asc&limit=1000", Uri.UnescapeDataString(t.Server.Requests.Single().Query));
    }

    [Fact]
    public async Task A_table_outside_public_is_read_through_the_accept_profile_header()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Table.Schema = "shop");
        t.Server.SetTable("product_images", [Row(1L, "u", "b")]);

        await ReadAllAsync(Source(t));

        Assert.Equal("shop", t.Server.Requests.Single().Header("accept-profile"));
        Assert.Equal("supabase-table:shop.product_images", Source(t).Description);
    }

    [Fact]
    public async Task A_missing_table_fails_with_postgrest_code_and_no_retry()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        var error = await Assert.ThrowsAsync<SupabaseRestException>(() => ReadAllAsync(Source(t)));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("PGRST205", error.Code);
        Assert.Contains("product_images", error.Message, StringComparison.Ordinal);
        Assert.Single(t.Server.Requests);
    }

    [Fact]
    public async Task A_missing_column_fails_with_the_database_error()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Table.BrandColumn = "label");
        t.Server.SetTable("product_images", [Row(1L, "u", "b")]);

        var error = await Assert.ThrowsAsync<SupabaseRestException>(() => ReadAllAsync(Source(t)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("42703", error.Code);
    }

    [Theory]
    [InlineData(FaultKind.ServiceUnavailable)]
    [InlineData(FaultKind.TooManyRequests)]
    [InlineData(FaultKind.DropResponseMidBody)]
    [InlineData(FaultKind.Slow)]
    public async Task A_transient_fault_on_a_page_is_retried_and_nothing_is_lost_or_repeated(FaultKind kind)
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Table.PageSize = 10);
        t.Server.SetTable("product_images", Enumerable.Range(1, 35).Select(i => Row((long)i, $"u{i}", "b")));
        var fault = t.Server.AddFault(kind, r => r.Query.Contains("gt.20", StringComparison.Ordinal));

        var items = await ReadAllAsync(Source(t));

        Assert.Equal(1, fault.Fired);
        Assert.Equal(Enumerable.Range(1, 35).Select(i => i.ToString(CultureInfo.InvariantCulture)), items.Select(i => i.Id));
    }

    [Fact]
    public async Task A_jwt_key_is_sent_as_bearer_and_a_secret_key_as_apikey_only()
    {
        await using var jwt = await SupabaseTestContext.StartAsync(key: s => s.AnonJwt);
        await using var secret = await SupabaseTestContext.StartAsync();
        jwt.Server.SetTable("product_images", [Row(1L, "u", "b")]);
        secret.Server.SetTable("product_images", [Row(1L, "u", "b")]);

        await ReadAllAsync(Source(jwt));
        await ReadAllAsync(Source(secret));

        Assert.Equal("Bearer " + jwt.Key, jwt.Server.Requests.Single().Header("authorization"));
        Assert.Equal(jwt.Key, jwt.Server.Requests.Single().Header("apikey"));
        Assert.Null(secret.Server.Requests.Single().Header("authorization"));
        Assert.Equal(secret.Key, secret.Server.Requests.Single().Header("apikey"));
    }

    [Fact]
    public async Task An_unknown_key_fails_as_401_naming_the_setting_without_the_key()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: _ => Server.TestJwt.Create("service_role", secret: "a-different-secret-of-enough-length-123"));
        t.Server.SetTable("product_images", [Row(1L, "u", "b")]);

        var error = await Assert.ThrowsAsync<SupabaseRestException>(() => ReadAllAsync(Source(t)));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("Supabase:Key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(t.Key, error.ToString(), StringComparison.Ordinal);
        Assert.Single(t.Server.Requests);
    }
}
