using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Onnx.Preprocessing;

/// <summary>Vectorised conversions from 8-bit interleaved RGB to float, with scalar fallbacks.</summary>
internal static class PixelConversion
{
    /// <summary>Widens bytes to floats (<c>destination[i] = source[i]</c>).</summary>
    public static void ToSingle(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("Destination is shorter than source.", nameof(destination));
        }

        var i = 0;
        if (Vector256.IsHardwareAccelerated && source.Length >= Vector256<byte>.Count)
        {
            ref var src = ref Unsafe.AsRef(in source[0]);
            ref var dst = ref destination[0];
            for (; i <= source.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var bytes = Vector256.LoadUnsafe(ref src, (nuint)i);
                var (lo, hi) = Vector256.Widen(bytes);
                var (a, b) = Vector256.Widen(lo);
                var (c, d) = Vector256.Widen(hi);
                Vector256.ConvertToSingle(a.AsInt32()).StoreUnsafe(ref dst, (nuint)i);
                Vector256.ConvertToSingle(b.AsInt32()).StoreUnsafe(ref dst, (nuint)(i + 8));
                Vector256.ConvertToSingle(c.AsInt32()).StoreUnsafe(ref dst, (nuint)(i + 16));
                Vector256.ConvertToSingle(d.AsInt32()).StoreUnsafe(ref dst, (nuint)(i + 24));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>
    /// Splits <paramref name="rgb"/> (interleaved, <c>3 · n</c> bytes) into three planes of <c>n</c> floats, each
    /// scaled as <c>value · scale[c] + offset[c]</c>.
    /// </summary>
    public static void DeinterleaveScaled(
        ReadOnlySpan<byte> rgb,
        Span<float> red,
        Span<float> green,
        Span<float> blue,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> offset)
    {
        var n = rgb.Length / 3;
        if (red.Length < n || green.Length < n || blue.Length < n)
        {
            throw new ArgumentException("A destination plane is shorter than the row.");
        }

        float sr = scale[0], sg = scale[1], sb = scale[2];
        float or = offset[0], og = offset[1], ob = offset[2];
        var p = 0;
        if (Ssse3.IsSupported && n >= 6)
        {
            // 4 pixels (12 bytes) per step from a 16-byte load: stop while 16 bytes remain readable.
            var mask = Vector128.Create((byte)0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0x80, 0x80, 0x80, 0x80);
            var vsr = Vector128.Create(sr);
            var vsg = Vector128.Create(sg);
            var vsb = Vector128.Create(sb);
            var vor = Vector128.Create(or);
            var vog = Vector128.Create(og);
            var vob = Vector128.Create(ob);
            ref var src = ref Unsafe.AsRef(in rgb[0]);
            ref var r = ref red[0];
            ref var g = ref green[0];
            ref var b = ref blue[0];
            for (; (p * 3) + 16 <= rgb.Length; p += 4)
            {
                var planar = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)(p * 3)), mask);
                var (rg, bx) = Vector128.Widen(planar);
                var (rw, gw) = Vector128.Widen(rg);
                var bw = Vector128.WidenLower(bx);
                ((Vector128.ConvertToSingle(rw.AsInt32()) * vsr) + vor).StoreUnsafe(ref r, (nuint)p);
                ((Vector128.ConvertToSingle(gw.AsInt32()) * vsg) + vog).StoreUnsafe(ref g, (nuint)p);
                ((Vector128.ConvertToSingle(bw.AsInt32()) * vsb) + vob).StoreUnsafe(ref b, (nuint)p);
            }
        }

        for (; p < n; p++)
        {
            red[p] = (rgb[p * 3] * sr) + or;
            green[p] = (rgb[(p * 3) + 1] * sg) + og;
            blue[p] = (rgb[(p * 3) + 2] * sb) + ob;
        }
    }
}
