namespace Tessera.Indexing.Rasters;

/// <summary>
/// A raster of quantised values with one float32 scale per pixel, such as GeoTessera's native int8
/// tiles: the embedding of a pixel is <c>stored value × scale</c> for every band.
/// <see cref="IRasterSource.ReadWindow{T}"/> with <see cref="float"/> returns the dequantised values;
/// with the stored type it returns them as stored, and <see cref="ReadScales"/> gives the scales.
/// A source with one scale per band of each pixel (GeoTessera's (H, W, bands) scales) has no single
/// scale per pixel: it reports <see cref="RasterDataType.Float32"/> as its
/// <see cref="IRasterSource.DataType"/> (its float reads are the embeddings) and refuses
/// <see cref="ReadScales"/> with <see cref="NotSupportedException"/>; callers use the scales only
/// when <see cref="IRasterSource.DataType"/> is the stored integer type.
/// </summary>
public interface IScaledRasterSource : IRasterSource
{
    /// <summary>Reads the per-pixel scales of a window, row-major (one value per pixel).</summary>
    /// <param name="x">First column.</param>
    /// <param name="y">First row.</param>
    /// <param name="width">Columns to read.</param>
    /// <param name="height">Rows to read.</param>
    /// <param name="destination">At least <c>width * height</c> values.</param>
    void ReadScales(int x, int y, int width, int height, Span<float> destination);
}
