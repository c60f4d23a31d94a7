namespace Tessera.Indexing.Images.Items;

/// <summary>The column (or JSON property) names manifests use for an item's id, image and brand.</summary>
public static class ManifestColumns
{
    /// <summary>The item id: <c>id</c>.</summary>
    public const string Id = "id";

    /// <summary>The image path or URL: <c>image</c> (also accepted: <c>image_url</c>, <c>image_path</c>, <c>url</c>, <c>path</c>).</summary>
    public const string Image = "image";

    /// <summary>The brand: <c>brand</c>.</summary>
    public const string Brand = "brand";

    /// <summary>Accepted alternative names of the image column, tried in order after <see cref="Image"/>.</summary>
    public static IReadOnlyList<string> ImageAliases { get; } = ["image_url", "image_path", "url", "path"];

    internal static bool IsImageColumn(string name)
    {
        if (string.Equals(name, Image, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var alias in ImageAliases)
        {
            if (string.Equals(name, alias, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static int ImagePriority(string name)
    {
        if (string.Equals(name, Image, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        for (var i = 0; i < ImageAliases.Count; i++)
        {
            if (string.Equals(name, ImageAliases[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return int.MaxValue;
    }
}
