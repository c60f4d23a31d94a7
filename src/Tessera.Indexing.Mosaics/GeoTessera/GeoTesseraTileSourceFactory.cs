using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// Opens GeoTessera native tiles (<c>grid_X_Y.npy</c> with <c>grid_X_Y_scales.npy</c>, and the
/// optional <c>grid_X_Y.geo.json</c> sidecar) by path, as <see cref="GeoTesseraTileSource"/>s.
/// <c>AddMosaicIndexing()</c> registers it as an <see cref="IRasterSourceFactory"/> keyed
/// <see cref="ServiceKey"/>, beside GDAL's from <c>AddGdal()</c>; the mosaic indexer tries them all.
/// </summary>
public sealed class GeoTesseraTileSourceFactory : IRasterSourceFactory
{
    /// <summary>The key it is registered under.</summary>
    public const string ServiceKey = "geotessera";

    /// <summary>The file extension of a tile.</summary>
    public const string Extension = ".npy";

    /// <inheritdoc />
    /// <exception cref="NotSupportedException"><paramref name="path"/> does not end in <c>.npy</c>, so it is not a tile (another factory may read it).</exception>
    /// <exception cref="FileNotFoundException">The tile or its scales file is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not a GeoTessera tile pair, or the sidecar is malformed.</exception>
    public IRasterSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"'{path}' is not a GeoTessera tile (grid_X_Y{Extension}).");
        }

        return GeoTesseraTileSource.Open(path);
    }
}
