using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>How <see cref="GdalRegionMosaic"/> merges tiles into one raster.</summary>
public sealed record GdalRegionMosaicOptions
{
    /// <summary>The CRS of the merged raster (default WGS84 latitude/longitude, as GeoTessera's <c>fetch_mosaic_for_region</c>).</summary>
    public RasterSpatialReference TargetCrs { get; init; } = RasterSpatialReference.Wgs84;

    /// <summary>The pixel size in the target CRS's units; default 0.0001° for a geographic CRS (about 11 m north-south), 10 m otherwise.</summary>
    public double? Resolution { get; init; }

    /// <summary>Clip to this WGS84 box (west, south, east, north); default the union of the tiles.</summary>
    public (double West, double South, double East, double North)? Bounds { get; init; }

    /// <summary>The resampling of <c>gdalwarp -r</c> (default <c>bilinear</c>, as GeoTessera).</summary>
    public string Resampling { get; init; } = "bilinear";

    /// <summary>The warper's working memory in MiB (<c>gdalwarp -wm</c>; default 256): with the row-block tile conversion, what bounds the merge's memory.</summary>
    public int WarpMemoryMiB { get; init; } = 256;

    /// <summary>Where the per-tile float32 GeoTIFFs are written while merging (deleted afterwards); default beside the destination.</summary>
    public string? ScratchFolder { get; init; }
}
