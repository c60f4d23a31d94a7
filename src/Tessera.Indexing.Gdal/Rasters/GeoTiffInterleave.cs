namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>How a multi-band GeoTIFF lays out its values (GDAL's <c>INTERLEAVE</c> creation option).</summary>
public enum GeoTiffInterleave
{
    /// <summary>All bands of a pixel together (<c>INTERLEAVE=PIXEL</c>): best for reading whole embeddings.</summary>
    Pixel,

    /// <summary>One plane per band (<c>INTERLEAVE=BAND</c>).</summary>
    Band,
}
