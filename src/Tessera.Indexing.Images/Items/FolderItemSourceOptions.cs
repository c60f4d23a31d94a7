namespace Tessera.Indexing.Images.Items;

/// <summary>Which files a <see cref="FolderItemSource"/> takes, and how it names them.</summary>
public sealed record FolderItemSourceOptions
{
    /// <summary>The image file extensions taken, compared case-insensitively (default JPEG, PNG, WebP, GIF, BMP, TIFF).</summary>
    public IReadOnlyCollection<string> Extensions { get; init; } = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff"];

    /// <summary>Whether sub-folders are searched too (default <see langword="true"/>).</summary>
    public bool Recursive { get; init; } = true;

    /// <summary>
    /// Whether an image's first sub-folder names its brand (<c>acme/shoe-1.jpg</c> → brand <c>acme</c>);
    /// default <see langword="false"/>: no brand.
    /// </summary>
    public bool BrandFromFirstFolder { get; init; }
}
