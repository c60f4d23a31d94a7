namespace Tessera.Indexing.Rasters;

/// <summary>Why a coordinate transform failed.</summary>
public enum CoordinateTransformErrorKind
{
    /// <summary>The raster declares no CRS, or its CRS is not understood.</summary>
    UnknownCrs,

    /// <summary>
    /// Latitude/longitude were asked of a raster whose CRS is not WGS84 geographic and no
    /// <see cref="ICoordinateTransformFactory"/> is available (register one, for example with <c>AddGdal()</c>).
    /// </summary>
    NoTransformProvider,

    /// <summary>A point could not be transformed (outside the projection's domain, or not finite).</summary>
    TransformFailed,
}
