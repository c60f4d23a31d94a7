namespace Tessera.Indexing.Gdal.Images;

/// <summary>How <see cref="GdalImageDecoder"/> resamples while it resizes (GDAL's RasterIO resampling).</summary>
public enum GdalImageResampling
{
    /// <summary>Bilinear (GDAL widens the kernel when shrinking, so it also antialiases).</summary>
    Bilinear,

    /// <summary>Bicubic, as CLIP's own preprocessing.</summary>
    Cubic,

    /// <summary>Lanczos.</summary>
    Lanczos,

    /// <summary>Box average.</summary>
    Average,

    /// <summary>Nearest neighbour (fast, aliased).</summary>
    NearestNeighbour,
}
