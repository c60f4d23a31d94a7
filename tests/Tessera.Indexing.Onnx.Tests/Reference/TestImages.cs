using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Onnx.Tests.Reference;

/// <summary>Seeded test images.</summary>
internal static class TestImages
{
    public static RgbImage Random(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A smooth image (gradients plus a seeded offset), more like a photo than noise.</summary>
    public static RgbImage Smooth(int width, int height, int seed)
    {
        var random = new Random(seed);
        var phase = random.Next(256);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = ((y * width) + x) * 3;
                pixels[p] = (byte)((x * 255 / Math.Max(width - 1, 1)) ^ (phase & 0x0F));
                pixels[p + 1] = (byte)((y * 255 / Math.Max(height - 1, 1)) + phase);
                pixels[p + 2] = (byte)(((x + y) * 7) + phase);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    public static byte[] Bytes(RgbImage image) => image.Pixels.ToArray();
}
