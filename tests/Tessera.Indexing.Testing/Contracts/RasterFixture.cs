using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>A raster file a contract test wrote, and what reading it must give.</summary>
/// <param name="Path">What to open.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="BandCount">Bands per pixel.</param>
/// <param name="DataType">The stored band type.</param>
/// <param name="Values">Every value as <see cref="float"/> (dequantised for scaled rasters), pixel-interleaved, row-major.</param>
/// <param name="GeoTransform">The georeferencing written, or <see langword="null"/>.</param>
/// <param name="NoDataValue">The nodata value written, or <see langword="null"/>.</param>
public sealed record RasterFixture(
    string Path,
    int Width,
    int Height,
    int BandCount,
    RasterDataType DataType,
    float[] Values,
    GeoTransform? GeoTransform,
    double? NoDataValue);
