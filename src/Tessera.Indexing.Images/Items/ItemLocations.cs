namespace Tessera.Indexing.Images.Items;

/// <summary>Resolves the image column of a manifest into a location an <c>IImageDecoder</c> reads.</summary>
internal static class ItemLocations
{
    /// <summary>
    /// URLs (<c>http</c>, <c>https</c>, GDAL's <c>/vsi…/</c> paths) are kept as they are, <c>file://</c>
    /// URIs become local paths, and relative paths resolve against <paramref name="baseFolder"/>.
    /// </summary>
    public static string Resolve(string value, string baseFolder)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith("/vsi", StringComparison.Ordinal))
        {
            return trimmed;
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme.Length > 1)
        {
            if (uri.IsFile)
            {
                return uri.LocalPath;
            }

            return trimmed;
        }

        return Path.GetFullPath(Path.IsPathRooted(trimmed) ? trimmed : Path.Combine(baseFolder, trimmed));
    }
}
