using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// Opens GeoTessera native tiles (<c>grid_X_Y.npy</c> with <c>grid_X_Y_scales.npy</c>, georeferenced
/// by their landmask, sidecar or name: see <see cref="GeoTesseraTileSource"/>) by path, as
/// <see cref="GeoTesseraTileSource"/>s. <c>AddMosaicIndexing()</c> registers it as an
/// <see cref="IRasterSourceFactory"/> keyed <see cref="ServiceKey"/>, beside GDAL's from
/// <c>AddGdal()</c> (which it then uses to read landmasks, with GDAL's coordinate transforms to
/// derive georeferencing from tile names); the mosaic indexer tries them all.
/// </summary>
/// <param name="options">Landmask, water masking and readers; default none (no landmask is read, nothing is derived).</param>
public sealed class GeoTesseraTileSourceFactory(GeoTesseraTileOptions? options = null) : IRasterSourceFactory
{
    /// <summary>The key it is registered under.</summary>
    public const string ServiceKey = "geotessera";

    /// <summary>The file extension of a tile.</summary>
    public const string Extension = ".npy";

    /// <summary>The options tiles are opened with.</summary>
    public GeoTesseraTileOptions Options { get; } = options ?? new GeoTesseraTileOptions();

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><paramref name="path"/> does not end in <c>.npy</c>, so it is not a tile (another factory may read it).</exception>
    /// <exception cref="FileNotFoundException">The tile, its scales file or an explicit landmask is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not a GeoTessera tile pair, the sidecar is malformed, or the landmask does not fit.</exception>
    public IRasterSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"'{path}' is not a GeoTessera tile (grid_X_Y{Extension}).");
        }

        return GeoTesseraTileSource.Open(path, options: Options);
    }
}
