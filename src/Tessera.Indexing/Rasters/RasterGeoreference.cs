namespace Tessera.Indexing.Rasters;

/// <summary>
/// A raster's pixel grid on the Earth: its <see cref="Rasters.GeoTransform"/> (pixel ↔ world X/Y in
/// the raster's CRS) and the WGS84 latitude/longitude of those world coordinates. Every latitude and
/// longitude goes through here: for a WGS84 geographic raster they are the world Y/X as they are;
/// for any other CRS they go through an <see cref="ICoordinateTransform"/> from the
/// <see cref="ICoordinateTransformFactory"/> given (GDAL's OSR, traditional GIS axis order). With no
/// CRS, or a projected CRS and no factory, the latitude/longitude members throw a
/// <see cref="CoordinateTransformException"/> rather than guess; the pixel ↔ world members still work.
/// </summary>
public sealed class RasterGeoreference : IDisposable
{
    private readonly ICoordinateTransform? _toLatLon;
    private readonly ICoordinateTransform? _fromLatLon;
    private readonly CoordinateTransformErrorKind? _unavailableKind;
    private readonly string? _unavailableMessage;

    private RasterGeoreference(
        GeoTransform geoTransform,
        RasterSpatialReference? spatialReference,
        ICoordinateTransform? toLatLon,
        ICoordinateTransform? fromLatLon,
        CoordinateTransformErrorKind? unavailableKind,
        string? unavailableMessage)
    {
        GeoTransform = geoTransform;
        SpatialReference = spatialReference;
        _toLatLon = toLatLon;
        _fromLatLon = fromLatLon;
        _unavailableKind = unavailableKind;
        _unavailableMessage = unavailableMessage;
    }

    /// <summary>Pixel ↔ world X/Y in the raster's CRS.</summary>
    public GeoTransform GeoTransform { get; }

    /// <summary>The raster's CRS, or <see langword="null"/> when it declares none.</summary>
    public RasterSpatialReference? SpatialReference { get; }

    /// <summary>Whether latitude/longitude can be computed (a WGS84 geographic CRS, or a CRS a factory could transform).</summary>
    public bool HasLatLon => _unavailableKind is null;

    /// <summary>Why latitude/longitude cannot be computed, or <see langword="null"/> when they can.</summary>
    public string? LatLonUnavailableReason => _unavailableMessage;

    /// <summary>Creates the georeference of a raster.</summary>
    /// <param name="geoTransform">The raster's geotransform.</param>
    /// <param name="spatialReference">The raster's CRS, or <see langword="null"/> when unknown.</param>
    /// <param name="transforms">Creates the WGS84 ↔ CRS transforms; <see langword="null"/> leaves only WGS84 geographic rasters with latitude/longitude.</param>
    /// <returns>The georeference; dispose it to release the transforms.</returns>
    public static RasterGeoreference Create(GeoTransform geoTransform, RasterSpatialReference? spatialReference, ICoordinateTransformFactory? transforms)
    {
        if (spatialReference is null)
        {
            return Unavailable(
                geoTransform,
                null,
                CoordinateTransformErrorKind.UnknownCrs,
                "The raster declares no CRS, so its world coordinates cannot be turned into latitude/longitude.");
        }

        if (spatialReference.IsWgs84Geographic)
        {
            return new RasterGeoreference(geoTransform, spatialReference, null, null, null, null);
        }

        if (transforms is null)
        {
            return Unavailable(
                geoTransform,
                spatialReference,
                CoordinateTransformErrorKind.NoTransformProvider,
                $"The raster's CRS is {spatialReference.ToShortString()}, not WGS84 latitude/longitude, and no coordinate transform provider is registered (add one, for example with AddGdal()).");
        }

        ICoordinateTransform? toLatLon = null;
        try
        {
            toLatLon = transforms.Create(spatialReference, RasterSpatialReference.Wgs84);
            var fromLatLon = transforms.Create(RasterSpatialReference.Wgs84, spatialReference);
            return new RasterGeoreference(geoTransform, spatialReference, toLatLon, fromLatLon, null, null);
        }
        catch (CoordinateTransformException e)
        {
            toLatLon?.Dispose();
            return Unavailable(geoTransform, spatialReference, e.Kind, $"Latitude/longitude are unavailable for CRS {spatialReference.ToShortString()}: {e.Message}");
        }
    }

    /// <summary>Latitude/longitude of a world point in the raster's CRS.</summary>
    /// <param name="x">World X.</param>
    /// <param name="y">World Y.</param>
    /// <returns>WGS84 latitude and longitude in degrees.</returns>
    /// <exception cref="CoordinateTransformException">Latitude/longitude are unavailable, or the point cannot be transformed.</exception>
    public (double Latitude, double Longitude) WorldToLatLon(double x, double y)
    {
        ThrowIfUnavailable();
        if (_toLatLon is null)
        {
            return (y, x);
        }

        var (lon, lat) = _toLatLon.Transform(x, y);
        return (lat, lon);
    }

    /// <summary>Turns world points into longitude (in <paramref name="x"/>) and latitude (in <paramref name="y"/>), in place.</summary>
    /// <param name="x">World X; replaced by longitude.</param>
    /// <param name="y">World Y; replaced by latitude.</param>
    /// <exception cref="CoordinateTransformException">Latitude/longitude are unavailable, or a point cannot be transformed.</exception>
    public void WorldToLatLon(Span<double> x, Span<double> y)
    {
        ThrowIfUnavailable();
        _toLatLon?.Transform(x, y);
    }

    /// <summary>
    /// WGS84 bounds of a raster of <paramref name="width"/> × <paramref name="height"/> pixels: the smallest
    /// and largest longitude and latitude of its four corners (a projected footprint is not a lat/lon box;
    /// its corners bound it closely).
    /// </summary>
    /// <param name="width">Raster width in pixels.</param>
    /// <param name="height">Raster height in pixels.</param>
    /// <returns>West, south, east and north in degrees.</returns>
    /// <exception cref="CoordinateTransformException">Latitude/longitude are unavailable, or a corner cannot be transformed.</exception>
    public (double West, double South, double East, double North) LatLonBounds(double width, double height)
    {
        var (x0, y0) = GeoTransform.PixelToWorld(0, 0);
        var (x1, y1) = GeoTransform.PixelToWorld(width, height);
        Span<double> lons = [x0, x1, x0, x1];
        Span<double> lats = [y0, y0, y1, y1];
        WorldToLatLon(lons, lats);
        return (Min(lons), Min(lats), Max(lons), Max(lats));

        static double Min(ReadOnlySpan<double> v) => Math.Min(Math.Min(v[0], v[1]), Math.Min(v[2], v[3]));
        static double Max(ReadOnlySpan<double> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));
    }

    /// <summary>World X/Y in the raster's CRS of a latitude/longitude.</summary>
    /// <param name="latitude">WGS84 latitude in degrees.</param>
    /// <param name="longitude">WGS84 longitude in degrees.</param>
    /// <returns>World X and Y.</returns>
    /// <exception cref="CoordinateTransformException">Latitude/longitude are unavailable, or the point cannot be transformed.</exception>
    public (double X, double Y) LatLonToWorld(double latitude, double longitude)
    {
        ThrowIfUnavailable();
        if (!(latitude >= -90 && latitude <= 90) || !double.IsFinite(longitude))
        {
            throw new CoordinateTransformException(
                CoordinateTransformErrorKind.TransformFailed,
                FormattableString.Invariant($"Latitude {latitude} and longitude {longitude} are not a point on the Earth (latitude must lie in -90..90)."));
        }

        return _fromLatLon is null ? (longitude, latitude) : _fromLatLon.Transform(longitude, latitude);
    }

    /// <summary>Latitude/longitude of a fractional, corner-based pixel position.</summary>
    /// <param name="col">Column position (0 = the left edge of the first column).</param>
    /// <param name="row">Row position (0 = the top edge of the first row).</param>
    /// <returns>WGS84 latitude and longitude.</returns>
    public (double Latitude, double Longitude) PixelToLatLon(double col, double row)
    {
        var (x, y) = GeoTransform.PixelToWorld(col, row);
        return WorldToLatLon(x, y);
    }

    /// <summary>Latitude/longitude of the centre of pixel (<paramref name="row"/>, <paramref name="col"/>).</summary>
    /// <param name="row">Row.</param>
    /// <param name="col">Column.</param>
    /// <returns>WGS84 latitude and longitude.</returns>
    public (double Latitude, double Longitude) PixelCenterToLatLon(long row, long col) => PixelToLatLon(col + 0.5, row + 0.5);

    /// <summary>The fractional, corner-based pixel position of a latitude/longitude (floor it for the pixel that contains the point).</summary>
    /// <param name="latitude">WGS84 latitude.</param>
    /// <param name="longitude">WGS84 longitude.</param>
    /// <returns>Column and row positions.</returns>
    public (double Col, double Row) LatLonToPixel(double latitude, double longitude)
    {
        var (x, y) = LatLonToWorld(latitude, longitude);
        return GeoTransform.WorldToPixel(x, y);
    }

    /// <summary>Releases the transforms.</summary>
    public void Dispose()
    {
        _toLatLon?.Dispose();
        _fromLatLon?.Dispose();
    }

    private static RasterGeoreference Unavailable(GeoTransform transform, RasterSpatialReference? reference, CoordinateTransformErrorKind kind, string message) =>
        new(transform, reference, null, null, kind, message);

    private void ThrowIfUnavailable()
    {
        if (_unavailableKind is { } kind)
        {
            throw new CoordinateTransformException(kind, _unavailableMessage!);
        }
    }
}
