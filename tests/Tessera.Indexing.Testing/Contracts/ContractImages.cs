using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>Small seeded RGB images that differ in colour and structure, for the embedder contract.</summary>
public static class ContractImages
{
    /// <summary>
    /// An image of a seeded dominant colour with a seeded diagonal gradient and noise, so two seeds give clearly
    /// different colour histograms and shapes.
    /// </summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The image.</returns>
    public static RgbImage Create(int width, int height, int seed)
    {
        var random = new Random(seed);
        var baseColor = new[] { random.Next(256), random.Next(256), random.Next(256) };
        var slope = new[] { random.Next(-6, 7), random.Next(-6, 7), random.Next(-6, 7) };
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var value = baseColor[c] + (slope[c] * (x + (2 * y))) + random.Next(-20, 21);
                    pixels[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Images of assorted sizes (square, wide, tall, tiny), one per seed from <paramref name="firstSeed"/>.</summary>
    /// <param name="count">How many.</param>
    /// <param name="firstSeed">The first seed.</param>
    /// <returns>The images.</returns>
    public static RgbImage[] Assorted(int count, int firstSeed = 1)
    {
        (int Width, int Height)[] sizes = [(16, 16), (23, 11), (9, 31), (3, 2), (40, 40), (17, 19), (1, 1), (12, 8)];
        var images = new RgbImage[count];
        for (var i = 0; i < count; i++)
        {
            var (width, height) = sizes[i % sizes.Length];
            images[i] = Create(width, height, firstSeed + i);
        }

        return images;
    }
}
