namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>The block compressions the direct GeoTIFF reader decodes itself (anything else is read through GDAL).</summary>
internal enum TiffCodec
{
    /// <summary>Uncompressed: blocks are read straight into the caller's buffer.</summary>
    None,

    /// <summary>DEFLATE (zlib streams), decoded by GDAL's <c>zlib</c> decompressor.</summary>
    Deflate,

    /// <summary>TIFF LZW (new style, MSB first), decoded by <see cref="TiffLzw"/>.</summary>
    Lzw,

    /// <summary>Zstandard, decoded by GDAL's <c>zstd</c> decompressor.</summary>
    Zstd,

    /// <summary>LZMA (xz streams), decoded by GDAL's <c>lzma</c> decompressor.</summary>
    Lzma,
}
