namespace Tessera.Indexing.Images.Tests.Embeddings;

/// <summary>The colour histogram embedding and the luminance view written plainly, as the reference.</summary>
internal static class PlainHistogram
{
    public static float[] Embed(ReadOnlySpan<byte> rgb, int bins, bool squareRoot)
    {
        var counts = new double[bins * bins * bins];
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            var r = rgb[i] * bins / 256;
            var g = rgb[i + 1] * bins / 256;
            var b = rgb[i + 2] * bins / 256;
            counts[(((r * bins) + g) * bins) + b] += 1;
        }

        return Normalize(counts.Select(c => squareRoot ? Math.Sqrt(c) : c).ToArray());
    }

    public static byte[] Gray(ReadOnlySpan<byte> rgb)
    {
        var result = new byte[rgb.Length];
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            var y = (byte)Math.Floor(((77 * rgb[i]) + (150 * rgb[i + 1]) + (29 * rgb[i + 2]) + 128) / 256.0);
            result[i] = result[i + 1] = result[i + 2] = y;
        }

        return result;
    }

    public static float[] Normalize(double[] values)
    {
        var norm = Math.Sqrt(values.Sum(v => v * v));
        return values.Select(v => (float)(v / Math.Max(norm, 1e-12))).ToArray();
    }
}
