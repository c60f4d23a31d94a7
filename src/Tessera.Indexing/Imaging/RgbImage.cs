namespace Tessera.Indexing.Imaging;

/// <summary>
/// A decoded 8-bit RGB image, pixel-interleaved: the red, green and blue values of the pixel at
/// (<c>x</c>, <c>y</c>) are at <c>((y * Width) + x) * 3</c> and the next two bytes.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps decoded pixels.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="pixels"><c>width * height * 3</c> bytes, RGB interleaved, row-major.</param>
    public RgbImage(int width, int height, ReadOnlyMemory<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for a {width}x{height} RGB image, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, RGB interleaved, row-major.</summary>
    public ReadOnlyMemory<byte> Pixels { get; }
}
