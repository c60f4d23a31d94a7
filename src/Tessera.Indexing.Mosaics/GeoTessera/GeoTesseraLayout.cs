namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// GeoTessera's on-disk layout under a base folder:
/// <c>global_0.1_degree_representation/{year}/grid_X_Y/grid_X_Y.npy</c> (and <c>_scales.npy</c>)
/// beside the year-independent landmasks <c>global_0.1_degree_tiff_all/grid_X_Y.tiff</c>.
/// </summary>
public static class GeoTesseraLayout
{
    /// <summary>The folder of the embeddings, by year.</summary>
    public const string EmbeddingsFolder = "global_0.1_degree_representation";

    /// <summary>The folder of the landmasks.</summary>
    public const string LandmasksFolder = "global_0.1_degree_tiff_all";

    /// <summary>The landmask file name of a tile.</summary>
    /// <param name="name">The tile.</param>
    /// <returns><c>grid_X_Y.tiff</c>.</returns>
    public static string LandmaskFileName(GeoTesseraTileName name) => name.Name + ".tiff";

    /// <summary>The embedding file of a tile under <paramref name="baseFolder"/>.</summary>
    /// <param name="baseFolder">The folder holding <see cref="EmbeddingsFolder"/> and <see cref="LandmasksFolder"/>.</param>
    /// <param name="year">The year.</param>
    /// <param name="name">The tile.</param>
    /// <returns><c>{base}/global_0.1_degree_representation/{year}/grid_X_Y/grid_X_Y.npy</c>.</returns>
    public static string EmbeddingPath(string baseFolder, int year, GeoTesseraTileName name) =>
        Path.Combine(baseFolder, EmbeddingsFolder, year.ToString(System.Globalization.CultureInfo.InvariantCulture), name.Name, name.Name + ".npy");

    /// <summary>The landmask of a tile under <paramref name="baseFolder"/>.</summary>
    /// <param name="baseFolder">The base folder.</param>
    /// <param name="name">The tile.</param>
    /// <returns><c>{base}/global_0.1_degree_tiff_all/grid_X_Y.tiff</c>.</returns>
    public static string LandmaskPath(string baseFolder, GeoTesseraTileName name) => Path.Combine(baseFolder, LandmasksFolder, LandmaskFileName(name));

    /// <summary>
    /// Finds the landmask of the tile at <paramref name="embeddingsPath"/>: <paramref name="landmask"/>
    /// when it is a file, <c>{landmask}/grid_X_Y.tiff</c> when it is a folder, else the layout's
    /// <c>global_0.1_degree_tiff_all/grid_X_Y.tiff</c> three folders up (<c>{year}/grid_X_Y/</c>) or
    /// two up (a flat <c>{year}/</c> folder).
    /// </summary>
    /// <param name="embeddingsPath">The tile's <c>.npy</c>.</param>
    /// <param name="landmask">An explicit landmask file or folder, or <see langword="null"/>.</param>
    /// <returns>The landmask's path, or <see langword="null"/> when none exists.</returns>
    /// <exception cref="FileNotFoundException">An explicit <paramref name="landmask"/> does not exist (or its folder lacks the tile's).</exception>
    public static string? FindLandmask(string embeddingsPath, string? landmask)
    {
        var hasName = GeoTesseraTileName.TryParse(embeddingsPath, out var name);
        if (landmask is not null)
        {
            if (File.Exists(landmask))
            {
                return landmask;
            }

            if (Directory.Exists(landmask) && hasName && File.Exists(Path.Combine(landmask, LandmaskFileName(name))))
            {
                return Path.Combine(landmask, LandmaskFileName(name));
            }

            throw new FileNotFoundException(
                hasName
                    ? $"The landmask '{landmask}' does not exist (as a file, or as a folder holding {LandmaskFileName(name)})."
                    : $"The landmask '{landmask}' does not exist.",
                landmask);
        }

        if (!hasName)
        {
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(embeddingsPath));
        for (var up = 0; up < 3 && folder is not null; up++)
        {
            folder = Path.GetDirectoryName(folder);
            if (up >= 1 && folder is not null)
            {
                var candidate = Path.Combine(folder, LandmasksFolder, LandmaskFileName(name));
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
