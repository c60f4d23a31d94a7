using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>
/// Coordinate transforms through GDAL's OSR (PROJ underneath), in traditional GIS axis order
/// (<c>OAMS_TRADITIONAL_GIS_ORDER</c>: X = longitude or easting on both sides, whatever order the
/// EPSG registry gives the CRS's axes). <c>AddGdal()</c> registers it as the
/// <see cref="ICoordinateTransformFactory"/>.
/// </summary>
public sealed class GdalCoordinateTransformFactory : ICoordinateTransformFactory
{
    /// <inheritdoc />
    public ICoordinateTransform Create(RasterSpatialReference source, RasterSpatialReference target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        using var sourceSrs = GdalCoordinateTransforms.CreateSpatialReference(source);
        using var targetSrs = GdalCoordinateTransforms.CreateSpatialReference(target);
        var handle = GdalCoordinateTransforms.CreateTransform(sourceSrs, targetSrs, source, target);
        return new GdalCoordinateTransform(handle, source, target);
    }

    /// <summary>One OSR transform; calls are serialised because an OGR coordinate transformation is not thread-safe.</summary>
    private sealed class GdalCoordinateTransform(OgrCoordinateTransformationHandle handle, RasterSpatialReference source, RasterSpatialReference target) : ICoordinateTransform
    {
        private readonly Lock _gate = new();

        public RasterSpatialReference Source => source;

        public RasterSpatialReference Target => target;

        public void Transform(Span<double> x, Span<double> y)
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            lock (_gate)
            {
                GdalCoordinateTransforms.Transform(handle, x, y, source, target);
            }
        }

        public void Dispose() => handle.Dispose();
    }
}
