namespace Tessera.Indexing.Rasters;

/// <summary>
/// GDAL's affine geotransform: world X = OriginX + col * PixelWidth + row * RowRotation, world Y =
/// OriginY + col * ColumnRotation + row * PixelHeight, where (col, row) is a pixel corner position
/// (pixel centres are at +0.5).
/// </summary>
/// <param name="OriginX">X of the top-left corner of the top-left pixel.</param>
/// <param name="PixelWidth">X step per column.</param>
/// <param name="RowRotation">X step per row (0 for north-up).</param>
/// <param name="OriginY">Y of the top-left corner of the top-left pixel.</param>
/// <param name="ColumnRotation">Y step per column (0 for north-up).</param>
/// <param name="PixelHeight">Y step per row (negative for north-up).</param>
public readonly record struct GeoTransform(
    double OriginX,
    double PixelWidth,
    double RowRotation,
    double OriginY,
    double ColumnRotation,
    double PixelHeight)
{
    /// <summary>Creates a geotransform from GDAL's six coefficients.</summary>
    /// <param name="coefficients">Six values in GDAL's order.</param>
    /// <returns>The geotransform.</returns>
    public static GeoTransform FromArray(ReadOnlySpan<double> coefficients)
    {
        if (coefficients.Length != 6)
        {
            throw new ArgumentException("A geotransform has exactly six coefficients.", nameof(coefficients));
        }

        return new GeoTransform(coefficients[0], coefficients[1], coefficients[2], coefficients[3], coefficients[4], coefficients[5]);
    }

    /// <summary>The six coefficients in GDAL's order.</summary>
    /// <returns>A new array.</returns>
    public double[] ToArray() => [OriginX, PixelWidth, RowRotation, OriginY, ColumnRotation, PixelHeight];

    /// <summary>Whether the transform can be inverted.</summary>
    public bool IsInvertible => Math.Abs(Determinant) > double.Epsilon;

    private double Determinant => (PixelWidth * PixelHeight) - (RowRotation * ColumnRotation);

    /// <summary>World coordinates of a fractional pixel position (corner-based).</summary>
    /// <param name="col">Column position.</param>
    /// <param name="row">Row position.</param>
    /// <returns>World (X, Y): (lon, lat) for EPSG:4326.</returns>
    public (double X, double Y) PixelToWorld(double col, double row) =>
        (OriginX + (col * PixelWidth) + (row * RowRotation), OriginY + (col * ColumnRotation) + (row * PixelHeight));

    /// <summary>World coordinates of the centre of pixel (<paramref name="row"/>, <paramref name="col"/>).</summary>
    /// <param name="row">Pixel row.</param>
    /// <param name="col">Pixel column.</param>
    /// <returns>World (X, Y) of the pixel centre.</returns>
    public (double X, double Y) PixelCenterToWorld(long row, long col) => PixelToWorld(col + 0.5, row + 0.5);

    /// <summary>Fractional pixel position (corner-based column, row) of a world point.</summary>
    /// <param name="x">World X (lon).</param>
    /// <param name="y">World Y (lat).</param>
    /// <returns>The fractional (Col, Row).</returns>
    public (double Col, double Row) WorldToPixel(double x, double y)
    {
        var det = Determinant;
        if (Math.Abs(det) <= double.Epsilon)
        {
            throw new InvalidOperationException("The geotransform is not invertible.");
        }

        var dx = x - OriginX;
        var dy = y - OriginY;
        var col = ((PixelHeight * dx) - (RowRotation * dy)) / det;
        var row = ((-ColumnRotation * dx) + (PixelWidth * dy)) / det;
        return (col, row);
    }
}
