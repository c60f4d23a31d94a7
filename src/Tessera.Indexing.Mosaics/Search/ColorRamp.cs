namespace Tessera.Indexing.Mosaics.Search;

/// <summary>A perceptually ordered colour ramp (viridis' key colours, interpolated linearly in RGB).</summary>
public static class ColorRamp
{
    private static readonly byte[] Stops =
    [
        68, 1, 84,
        59, 82, 139,
        33, 145, 140,
        94, 201, 98,
        253, 231, 37,
    ];

    /// <summary>The colour of <paramref name="t"/> in [0, 1] (clamped; NaN is dark grey).</summary>
    /// <param name="t">Position on the ramp.</param>
    /// <returns>Red, green and blue.</returns>
    public static (byte R, byte G, byte B) Viridis(float t)
    {
        if (float.IsNaN(t))
        {
            return (32, 32, 32);
        }

        t = Math.Clamp(t, 0f, 1f);
        var segments = (Stops.Length / 3) - 1;
        var position = t * segments;
        var i = Math.Min((int)position, segments - 1);
        var f = position - i;
        return (Lerp(Stops[i * 3], Stops[(i + 1) * 3], f), Lerp(Stops[(i * 3) + 1], Stops[((i + 1) * 3) + 1], f), Lerp(Stops[(i * 3) + 2], Stops[((i + 1) * 3) + 2], f));
    }

    private static byte Lerp(byte a, byte b, float f) => (byte)Math.Round(a + ((b - a) * f));
}
