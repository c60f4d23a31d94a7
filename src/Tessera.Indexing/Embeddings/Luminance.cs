using System.Runtime.InteropServices;

namespace Tessera.Indexing.Embeddings;

/// <summary>ITU-R BT.601 luma in integers: Y = (77 R + 150 G + 29 B + 128) / 256, written to all three channels.</summary>
internal static class Luminance
{
    /// <summary>Writes the grayscale version of <paramref name="rgb"/> (Y, Y, Y per pixel) to <paramref name="destination"/>.</summary>
    public static void ToGrayRgb(ReadOnlySpan<byte> rgb, Span<byte> destination)
    {
        if (destination.Length < rgb.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        var pixels = rgb.Length / 3;
        ref var s = ref MemoryMarshal.GetReference(rgb);
        ref var d = ref MemoryMarshal.GetReference(destination);
        for (var i = 0; i < pixels; i++)
        {
            var o = i * 3;
            var y = (byte)(((77 * System.Runtime.CompilerServices.Unsafe.Add(ref s, o))
                + (150 * System.Runtime.CompilerServices.Unsafe.Add(ref s, o + 1))
                + (29 * System.Runtime.CompilerServices.Unsafe.Add(ref s, o + 2))
                + 128) >> 8);
            System.Runtime.CompilerServices.Unsafe.Add(ref d, o) = y;
            System.Runtime.CompilerServices.Unsafe.Add(ref d, o + 1) = y;
            System.Runtime.CompilerServices.Unsafe.Add(ref d, o + 2) = y;
        }
    }
}
