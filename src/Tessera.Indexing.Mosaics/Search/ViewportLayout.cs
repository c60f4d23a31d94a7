using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>What the searcher needs to know of a viewport, taken from its <c>metadata.json</c>.</summary>
/// <param name="ViewportId">The viewport id.</param>
/// <param name="Width">Mosaic width in pixels.</param>
/// <param name="Height">Mosaic height in pixels.</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="GeoTransform">Pixel ↔ world transform.</param>
/// <param name="Crs">The CRS as written in the metadata (for example <c>EPSG:4326</c>).</param>
/// <param name="Normalized">Whether the indexed vectors are L2-normalised.</param>
/// <param name="SamplingFactor">One pixel of every factor × factor block is in the FAISS index.</param>
/// <param name="SamplingOffsetRow">Row of the sampled pixel inside its block.</param>
/// <param name="SamplingOffsetCol">Column of the sampled pixel inside its block.</param>
/// <param name="CrsWkt">The CRS as WKT, where the metadata has it.</param>
internal sealed record ViewportLayout(
    string ViewportId,
    int Width,
    int Height,
    int Dimension,
    GeoTransform GeoTransform,
    string? Crs,
    bool Normalized,
    int SamplingFactor,
    int SamplingOffsetRow,
    int SamplingOffsetCol,
    string? CrsWkt = null)
{
    public long PixelCount => (long)Width * Height;

    /// <summary>The CRS as a spatial reference, or <see langword="null"/> when the metadata names none.</summary>
    public RasterSpatialReference? SpatialReference => RasterSpatialReference.Parse(Crs, CrsWkt);
}
