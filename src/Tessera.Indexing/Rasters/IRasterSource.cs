namespace Tessera.Indexing.Rasters;

/// <summary>
/// A multi-band raster (for example a GeoTessera embedding mosaic: one 128-d embedding per pixel)
/// read window by window. Reads are pixel-interleaved: value <c>b</c> of the pixel at window row
/// <c>r</c>, column <c>c</c> is at <c>((r * width) + c) * BandCount + b</c>.
/// </summary>
public interface IRasterSource : IDisposable
{
    /// <summary>Where the raster was opened from.</summary>
    string Path { get; }

    /// <summary>Width in pixels.</summary>
    int Width { get; }

    /// <summary>Height in pixels.</summary>
    int Height { get; }

    /// <summary>Number of bands (the embedding dimension for a mosaic).</summary>
    int BandCount { get; }

    /// <summary>The data type of the bands (all bands share it).</summary>
    RasterDataType DataType { get; }

    /// <summary>The geotransform, or <see langword="null"/> when the raster has none.</summary>
    GeoTransform? GeoTransform { get; }

    /// <summary>The coordinate reference system, or <see langword="null"/> when none is declared.</summary>
    RasterSpatialReference? SpatialReference { get; }

    /// <summary>The declared nodata value of the bands, or <see langword="null"/>.</summary>
    double? NoDataValue { get; }

    /// <summary>The natural block size of the file (a tile, or a strip of rows), for block-aligned reads.</summary>
    (int Width, int Height) BlockSize { get; }

    /// <summary>
    /// Reads a window of all bands, pixel-interleaved, converting to <typeparamref name="T"/> when it
    /// differs from <see cref="DataType"/> (supported: <see cref="byte"/>, <see cref="sbyte"/>,
    /// <see cref="short"/>, <see cref="ushort"/>, <see cref="int"/>, <see cref="uint"/>, <see cref="float"/>, <see cref="double"/>).
    /// </summary>
    /// <typeparam name="T">Element type of the destination.</typeparam>
    /// <param name="x">First column.</param>
    /// <param name="y">First row.</param>
    /// <param name="width">Columns to read.</param>
    /// <param name="height">Rows to read.</param>
    /// <param name="destination">At least <c>width * height * BandCount</c> elements.</param>
    void ReadWindow<T>(int x, int y, int width, int height, Span<T> destination)
        where T : unmanaged;
}
