namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>GeoTIFF compression (GDAL's <c>COMPRESS</c> creation option).</summary>
public enum GeoTiffCompression
{
    /// <summary>Uncompressed.</summary>
    None,

    /// <summary>Deflate (zlib), with the horizontal predictor for integer types and the floating-point predictor for floats.</summary>
    Deflate,

    /// <summary>LZW, with the same predictors as <see cref="Deflate"/>.</summary>
    Lzw,
}
