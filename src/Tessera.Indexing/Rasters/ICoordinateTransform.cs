namespace Tessera.Indexing.Rasters;

/// <summary>
/// A transform of points from one CRS to another, in traditional GIS axis order (X = longitude or
/// easting, Y = latitude or northing). Implementations are safe to use from several threads.
/// </summary>
public interface ICoordinateTransform : IDisposable
{
    /// <summary>The CRS of the input coordinates.</summary>
    RasterSpatialReference Source { get; }

    /// <summary>The CRS of the output coordinates.</summary>
    RasterSpatialReference Target { get; }

    /// <summary>Transforms points in place.</summary>
    /// <param name="x">X of each point (longitude or easting); replaced by the target's X.</param>
    /// <param name="y">Y of each point (latitude or northing); replaced by the target's Y. Same length as <paramref name="x"/>.</param>
    /// <exception cref="CoordinateTransformException">A point cannot be transformed (<see cref="CoordinateTransformErrorKind.TransformFailed"/>, for example outside the projection's domain).</exception>
    void Transform(Span<double> x, Span<double> y);

    /// <summary>Transforms one point.</summary>
    /// <param name="x">X (longitude or easting).</param>
    /// <param name="y">Y (latitude or northing).</param>
    /// <returns>The point in the target CRS.</returns>
    /// <exception cref="CoordinateTransformException">The point cannot be transformed.</exception>
    (double X, double Y) Transform(double x, double y)
    {
        Span<double> xs = [x];
        Span<double> ys = [y];
        Transform(xs, ys);
        return (xs[0], ys[0]);
    }
}
