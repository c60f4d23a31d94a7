namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>Where a <see cref="GeoTesseraTileSource"/> took its CRS and geotransform from.</summary>
public enum GeoTesseraGeoreferenceSource
{
    /// <summary>Nowhere: the tile has no georeferencing, and a mosaic build refuses it.</summary>
    None,

    /// <summary>The caller passed them to <see cref="GeoTesseraTileSource.Open"/>.</summary>
    Explicit,

    /// <summary>The tile's landmask GeoTIFF, as GeoTessera itself does (<c>global_0.1_degree_tiff_all/grid_X_Y.tiff</c>, or <see cref="GeoTesseraTileOptions.Landmask"/>).</summary>
    Landmask,

    /// <summary>The <c>grid_X_Y.geo.json</c> sidecar beside the tile.</summary>
    Sidecar,

    /// <summary>Derived from the tile's name (UTM zone of the cell centre, 10 m pixels, origin at the cell's north-west corner); see <see cref="GeoTesseraTileName"/>.</summary>
    TileName,
}
