namespace Tessera.Indexing.Rasters;

/// <summary>A raster's coordinate reference system.</summary>
/// <param name="Wkt">The CRS as WKT.</param>
/// <param name="EpsgCode">The EPSG code where one is known (for example 4326).</param>
public sealed record RasterSpatialReference(string Wkt, int? EpsgCode)
{
    /// <summary>A short name: <c>EPSG:nnnn</c> where known, else the WKT.</summary>
    public override string ToString() => EpsgCode is { } code ? $"EPSG:{code}" : Wkt;
}
