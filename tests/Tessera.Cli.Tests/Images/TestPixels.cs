namespace Tessera.Cli.Tests.Images;

/// <summary>Test image content.</summary>
internal static class TestPixels
{
    /// <summary>Four colour blocks chosen by <paramref name="seed"/>: distinct seeds give distinct colour histograms.</summary>
    public static byte[] Blocks(int seed, int width, int height)
    {
        var random = new Random(seed);
        var palette = Enumerable.Range(0, 4).Select(_ => new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) }).ToArray();
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                palette[((x * 2 / width) + (y * 2 / height * 2)) % 4].CopyTo(pixels, ((y * width) + x) * 3);
            }
        }

        return pixels;
    }
}
