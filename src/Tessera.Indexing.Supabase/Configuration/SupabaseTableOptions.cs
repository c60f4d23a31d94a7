namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>The table (or view) that lists the items to index, read through PostgREST or Postgres.</summary>
public sealed class SupabaseTableOptions
{
    /// <summary>The schema (default <c>public</c>; PostgREST reads other schemas through <c>Accept-Profile</c>).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>The table or view name (default <c>product_images</c>).</summary>
    public string Name { get; set; } = "product_images";

    /// <summary>The id column (default <c>id</c>): numeric or text, unique; items come in ascending id order.</summary>
    public string IdColumn { get; set; } = "id";

    /// <summary>The image URL column (default <c>image_url</c>).</summary>
    public string ImageUrlColumn { get; set; } = "image_url";

    /// <summary>The brand column (default <c>brand</c>); empty when the table has none.</summary>
    public string? BrandColumn { get; set; } = "brand";

    /// <summary>Rows read per request (default 1000, PostgREST's usual maximum).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>A Postgres connection string for <c>PostgresItemSource</c> (optional; never logged).</summary>
    public string? ConnectionString { get; set; }
}
