using Tessera.Indexing.Supabase.Tests.Server;

namespace Tessera.Indexing.Supabase.Tests.Support;

/// <summary>Seeds the fake server's <c>product_images</c> table with items whose images (<see cref="TrgbImages"/>) it serves.</summary>
public static class ProductTable
{
    public static void Seed(FakeSupabaseServer server, int items)
    {
        var rows = new List<Dictionary<string, object?>>();
        for (var i = 1; i <= items; i++)
        {
            var path = $"/images/item-{i:D4}.trgb";
            server.SetFile(path, TrgbImages.Encode(i));
            rows.Add(new Dictionary<string, object?> { ["id"] = (long)i, ["image_url"] = new Uri(server.Url, path).ToString(), ["brand"] = $"brand-{i % 3}" });
        }

        server.SetTable("product_images", rows);
    }
}
