namespace Tessera.Indexing.Imaging;

/// <summary>Decodes JPEG, PNG, WebP (and whatever else the implementation reads) into <see cref="RgbImage"/>.</summary>
public interface IImageDecoder
{
    /// <summary>Decodes the image at <paramref name="location"/>: a local path or an <c>http(s)</c> URL.</summary>
    /// <param name="location">Where the image is.</param>
    /// <param name="options">Resize and crop done in the same read; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="ImageDecodeException">The image is missing, unreadable, corrupt or of an unsupported format.</exception>
    ValueTask<RgbImage> DecodeAsync(string location, ImageDecodeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Decodes an image from its encoded bytes.</summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="options">Resize and crop done in the same read; <see langword="null"/> for none.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="ImageDecodeException">The bytes are not a supported image.</exception>
    RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions? options = null);
}
