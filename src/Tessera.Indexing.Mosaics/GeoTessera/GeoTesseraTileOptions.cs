using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>How GeoTessera tiles are georeferenced and masked when they are opened.</summary>
public sealed class GeoTesseraTileOptions
{
    /// <summary>
    /// The landmask to take the CRS and geotransform from: a GeoTIFF, or a folder holding
    /// <c>grid_X_Y.tiff</c> landmasks (GeoTessera's <c>global_0.1_degree_tiff_all/</c>). When
    /// <see langword="null"/>, the landmask is looked up in GeoTessera's layout beside the tile.
    /// </summary>
    public string? Landmask { get; set; }

    /// <summary>Turns water pixels (landmask value 0) into no data (all bands 0), as GeoTessera's land-only products do. Needs a landmask.</summary>
    public bool MaskWater { get; set; }

    /// <summary>With no explicit georeferencing, landmask or sidecar, derive the CRS and geotransform from the tile's name (needs <see cref="CoordinateTransforms"/>). Default on.</summary>
    public bool DeriveFromTileName { get; set; } = true;

    /// <summary>Reads landmask GeoTIFFs (GDAL's <c>GdalRasterSourceFactory</c>); without one, landmasks are not read.</summary>
    public IRasterSourceFactory? LandmaskReader { get; set; }

    /// <summary>Projects a tile's cell into its UTM zone when deriving georeferencing from the name (GDAL's <c>GdalCoordinateTransformFactory</c>).</summary>
    public ICoordinateTransformFactory? CoordinateTransforms { get; set; }
}
