using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// OSR/OCT calls behind <see cref="Rasters.GdalCoordinateTransformFactory"/>: spatial references
/// from a <see cref="RasterSpatialReference"/> in traditional GIS axis order, and point transforms;
/// GDAL's failures become <see cref="CoordinateTransformException"/>s carrying GDAL's message.
/// </summary>
internal static unsafe class GdalCoordinateTransforms
{
    private const int TraditionalGisOrder = 0;

    /// <summary>An OSR spatial reference for <paramref name="reference"/>: from its EPSG code where known, else from its WKT or user-input definition.</summary>
    public static OgrSpatialReferenceHandle CreateSpatialReference(RasterSpatialReference reference)
    {
        using var scope = GdalErrorScope.Enter();
        var srs = GdalNative.NewSpatialReference(null);
        if (srs.IsInvalid)
        {
            srs.Dispose();
            throw Failure(CoordinateTransformErrorKind.UnknownCrs, "GDAL could not create a spatial reference");
        }

        var status = reference.EpsgCode is { } code ? GdalNative.ImportFromEpsg(srs, code) : GdalNative.SetFromUserInput(srs, reference.Wkt);
        if (status != GdalProxy.OgrNone)
        {
            srs.Dispose();
            throw Failure(CoordinateTransformErrorKind.UnknownCrs, $"GDAL does not understand the CRS {reference.ToShortString()}");
        }

        GdalNative.SetAxisMappingStrategy(srs, TraditionalGisOrder);
        return srs;
    }

    /// <summary>A transform between two spatial references.</summary>
    public static OgrCoordinateTransformationHandle CreateTransform(OgrSpatialReferenceHandle source, OgrSpatialReferenceHandle target, RasterSpatialReference sourceReference, RasterSpatialReference targetReference)
    {
        using var scope = GdalErrorScope.Enter();
        var transform = GdalNative.NewCoordinateTransformation(source, target);
        if (transform.IsInvalid)
        {
            transform.Dispose();
            throw Failure(CoordinateTransformErrorKind.UnknownCrs, $"GDAL has no transform from {sourceReference.ToShortString()} to {targetReference.ToShortString()}");
        }

        return transform;
    }

    /// <summary>Transforms points in place; throws when any point fails, naming the first.</summary>
    public static void Transform(OgrCoordinateTransformationHandle transform, Span<double> x, Span<double> y, RasterSpatialReference sourceReference, RasterSpatialReference targetReference)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length.", nameof(y));
        }

        if (x.IsEmpty)
        {
            return;
        }

        using var scope = GdalErrorScope.Enter();
        var success = x.Length <= 256 ? stackalloc int[x.Length] : new int[x.Length];
        var originalX = x[0];
        var originalY = y[0];
        int ok;
        fixed (double* px = x)
        fixed (double* py = y)
        fixed (int* ps = success)
        {
            ok = GdalNative.TransformEx(transform, x.Length, px, py, null, ps);
        }

        for (var i = 0; i < success.Length; i++)
        {
            if (ok == 0 || success[i] == 0 || !double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                var which = i == 0 ? FormattableString.Invariant($" ({originalX}, {originalY})") : string.Empty;
                throw Failure(
                    CoordinateTransformErrorKind.TransformFailed,
                    FormattableString.Invariant($"Point {i}{which} cannot be transformed from {sourceReference.ToShortString()} to {targetReference.ToShortString()}"));
            }
        }
    }

    private static CoordinateTransformException Failure(CoordinateTransformErrorKind kind, string what)
    {
        var message = GdalProxy.LastMessageOr(string.Empty);
        return new CoordinateTransformException(kind, message.Length == 0 ? what + "." : $"{what}: {message}");
    }
}
