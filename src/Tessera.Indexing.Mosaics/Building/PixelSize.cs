using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Estimates a pixel's ground size in metres from the geotransform and CRS.</summary>
internal static class PixelSize
{
    private const double MetresPerDegreeLatitude = 110_574.0;
    private const double MetresPerDegreeLongitudeAtEquator = 111_320.0;

    /// <summary>
    /// The mean of the pixel's width and height in metres: for a geographic CRS (degrees) at the
    /// mosaic's centre latitude; for a projected CRS in metres as is; otherwise <see langword="null"/>.
    /// Rounded to millimetres.
    /// </summary>
    public static double? EstimateMeters(GeoTransform transform, RasterSpatialReference? reference, int width, int height)
    {
        if (reference is null)
        {
            return null;
        }

        var wkt = reference.Wkt.TrimStart();
        var geographic = reference.EpsgCode is 4326 or 4269 or 4258 or 4019
            || wkt.StartsWith("GEOGCS", StringComparison.OrdinalIgnoreCase)
            || wkt.StartsWith("GEOGCRS", StringComparison.OrdinalIgnoreCase)
            || wkt.StartsWith("GEODCRS", StringComparison.OrdinalIgnoreCase);
        var dx = Math.Sqrt((transform.PixelWidth * transform.PixelWidth) + (transform.ColumnRotation * transform.ColumnRotation));
        var dy = Math.Sqrt((transform.PixelHeight * transform.PixelHeight) + (transform.RowRotation * transform.RowRotation));
        double metres;
        if (geographic)
        {
            var (_, latitude) = transform.PixelToWorld(width / 2.0, height / 2.0);
            var x = dx * MetresPerDegreeLongitudeAtEquator * Math.Cos(latitude * Math.PI / 180.0);
            var y = dy * MetresPerDegreeLatitude;
            metres = (x + y) / 2;
        }
        else if (reference.EpsgCode is >= 32601 and <= 32660 or >= 32701 and <= 32760 or 3857 or 27700 or 2154 or 3035
            || wkt.Contains("\"metre\"", StringComparison.OrdinalIgnoreCase) || wkt.Contains("\"meter\"", StringComparison.OrdinalIgnoreCase))
        {
            metres = (dx + dy) / 2;
        }
        else
        {
            return null;
        }

        return Math.Round(metres, 3);
    }
}
