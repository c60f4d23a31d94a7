namespace Tessera.Indexing.Gdal.Images;

/// <summary>Settings of <see cref="GdalImageDecoder"/>.</summary>
public sealed class GdalImageDecoderOptions
{
    /// <summary>The GDAL drivers allowed to open an image (short names); anything else is an unsupported image.</summary>
    public IList<string> AllowedDrivers { get; set; } = ["JPEG", "PNG", "WEBP", "GIF", "BMP", "GTiff"];

    /// <summary>Resampling used when the image is resized; bilinear by default.</summary>
    public GdalImageResampling Resampling { get; set; } = GdalImageResampling.Bilinear;

    /// <summary>Whole-request timeout of an <c>http(s)</c> image (GDAL's <c>GDAL_HTTP_TIMEOUT</c>); 30 s by default.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connection timeout of an <c>http(s)</c> image (<c>GDAL_HTTP_CONNECTTIMEOUT</c>); 10 s by default.</summary>
    public TimeSpan HttpConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed request (on HTTP 429, 502, 503, 504; <c>GDAL_HTTP_MAX_RETRY</c>); 2 by default.</summary>
    public int HttpMaxRetries { get; set; } = 2;

    /// <summary>The largest decoded image accepted, in pixels (after resizing); a bigger one is rejected instead of exhausting memory. 64 Mpx by default.</summary>
    public long MaxPixels { get; set; } = 64L * 1024 * 1024;
}
