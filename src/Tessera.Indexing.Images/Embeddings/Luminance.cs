using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>ITU-R BT.601 luma in integers: Y = (77 R + 150 G + 29 B + 128) / 256, written to all three channels.</summary>
internal static unsafe class Luminance
{
    /// <summary>Writes the grayscale version of <paramref name="rgb"/> (Y, Y, Y per pixel) to <paramref name="destination"/>.</summary>
    public static void ToGrayRgb(ReadOnlySpan<byte> rgb, Span<byte> destination)
    {
        if (destination.Length < rgb.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        var done = 0;
        if (Ssse3.IsSupported && rgb.Length >= 48)
        {
            done = ToGraySsse3(rgb, destination);
        }

        var pixels = rgb.Length / 3;
        ref var s = ref MemoryMarshal.GetReference(rgb);
        ref var d = ref MemoryMarshal.GetReference(destination);
        for (var o = done; o < pixels * 3; o += 3)
        {
            var y = (byte)(((77 * Unsafe.Add(ref s, o)) + (150 * Unsafe.Add(ref s, o + 1)) + (29 * Unsafe.Add(ref s, o + 2)) + 128) >> 8);
            Unsafe.Add(ref d, o) = y;
            Unsafe.Add(ref d, o + 1) = y;
            Unsafe.Add(ref d, o + 2) = y;
        }
    }

    /// <summary>16 pixels at a time: deinterleave, 16-bit multiply-add, pack, re-interleave. Returns bytes done.</summary>
    private static int ToGraySsse3(ReadOnlySpan<byte> rgb, Span<byte> destination)
    {
        var blocks = rgb.Length / 48;
        var wr = Vector128.Create((ushort)77);
        var wg = Vector128.Create((ushort)150);
        var wb = Vector128.Create((ushort)29);
        var round = Vector128.Create((ushort)128);
        var zero = Vector128<byte>.Zero;
        fixed (byte* source = rgb)
        fixed (byte* target = destination)
        {
            for (var block = 0; block < blocks; block++)
            {
                RgbShuffle.Deinterleave(source + (block * 48), out var r, out var g, out var b);

                // 77*255 + 150*255 + 29*255 + 128 = 65408: the sum fits 16 bits unsigned.
                var lo = Sse2.ShiftRightLogical(
                    Sse2.Add(Sse2.Add(Sse2.MultiplyLow(Sse2.UnpackLow(r, zero).AsUInt16(), wr), Sse2.MultiplyLow(Sse2.UnpackLow(g, zero).AsUInt16(), wg)),
                             Sse2.Add(Sse2.MultiplyLow(Sse2.UnpackLow(b, zero).AsUInt16(), wb), round)), 8);
                var hi = Sse2.ShiftRightLogical(
                    Sse2.Add(Sse2.Add(Sse2.MultiplyLow(Sse2.UnpackHigh(r, zero).AsUInt16(), wr), Sse2.MultiplyLow(Sse2.UnpackHigh(g, zero).AsUInt16(), wg)),
                             Sse2.Add(Sse2.MultiplyLow(Sse2.UnpackHigh(b, zero).AsUInt16(), wb), round)), 8);
                RgbShuffle.StoreTripled(target + (block * 48), Sse2.PackUnsignedSaturate(lo.AsInt16(), hi.AsInt16()));
            }
        }

        return blocks * 48;
    }
}
