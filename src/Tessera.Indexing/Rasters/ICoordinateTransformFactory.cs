namespace Tessera.Indexing.Rasters;

/// <summary>
/// Creates coordinate transforms between two coordinate reference systems (for example WGS84
/// latitude/longitude ↔ a viewport's UTM zone). The GDAL provider implements it with OSR/PROJ and
/// registers it through <c>AddGdal()</c>; without an implementation only WGS84 geographic rasters
/// can be addressed by latitude/longitude (see <see cref="RasterGeoreference"/>).
/// </summary>
public interface ICoordinateTransformFactory
{
    /// <summary>
    /// Creates a transform from <paramref name="source"/> to <paramref name="target"/>. Coordinates
    /// are in traditional GIS order on both sides: X is longitude or easting, Y latitude or northing,
    /// whatever axis order the CRS's authority declares.
    /// </summary>
    /// <param name="source">The CRS of the input coordinates.</param>
    /// <param name="target">The CRS of the output coordinates.</param>
    /// <returns>The transform; dispose it when done. It is safe to use from several threads.</returns>
    /// <exception cref="CoordinateTransformException">A CRS is not understood (<see cref="CoordinateTransformErrorKind.UnknownCrs"/>), or no transform exists between them.</exception>
    ICoordinateTransform Create(RasterSpatialReference source, RasterSpatialReference target);
}
