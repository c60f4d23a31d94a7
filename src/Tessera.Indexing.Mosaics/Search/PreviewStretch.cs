using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The preview image shared by a viewport's preview and a mosaic's: the size reduction, and three
/// channels each stretched between its 2nd and 98th percentile (over the pixels with data) to
/// 0–255, pixels without data dark grey.
/// </summary>
internal static class PreviewStretch
{
    /// <summary>The grey of a pixel without data.</summary>
    public const byte NoDataGrey = 32;

    /// <summary>The whole reduction factor that brings the longer side to at most <paramref name="maxSize"/>, and the reduced size.</summary>
    public static (int Factor, int Width, int Height) Reduce(int width, int height, int maxSize)
    {
        var factor = Math.Max(1, (Math.Max(width, height) + maxSize - 1) / maxSize);
        return (factor, (width + factor - 1) / factor, (height + factor - 1) / factor);
    }

    /// <summary>Stretches <paramref name="channels"/> (three values per pixel) into an RGB image.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="channels">Three values per pixel, row-major.</param>
    /// <param name="hasData">Whether each pixel has data.</param>
    /// <returns>The image.</returns>
    public static RgbImage ToImage(int width, int height, float[] channels, bool[] hasData)
    {
        var count = width * height;
        var pixels = new byte[count * 3];
        var values = new float[count];
        for (var c = 0; c < 3; c++)
        {
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if (hasData[i])
                {
                    values[n++] = channels[(i * 3) + c];
                }
            }

            float low = 0, high = 1;
            if (n > 0)
            {
                var stretch = OrderStatistics.Percentiles(values.AsSpan(0, n), [2, 98]);
                (low, high) = (stretch[0], stretch[1]);
            }

            var range = high > low ? high - low : 1f;
            for (var i = 0; i < count; i++)
            {
                pixels[(i * 3) + c] = hasData[i] ? (byte)Math.Clamp(MathF.Round((channels[(i * 3) + c] - low) / range * 255f), 0, 255) : NoDataGrey;
            }
        }

        return new RgbImage(width, height, pixels);
    }
}
