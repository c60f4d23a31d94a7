using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>
/// The hot path of <see cref="ColorHistogramEmbedder"/>: joint RGB histogram counting over interleaved
/// pixels (SSSE3 deinterleave of 16 pixels at a time, four sub-histograms to break store-to-load
/// dependencies) and the float finish (square root, L2 normalisation) with TensorPrimitives.
/// </summary>
internal static class ColorHistogramKernel
{
    /// <summary>Counts <paramref name="rgb"/>'s pixels into <paramref name="counts"/> (<c>bins³</c> entries, added to).</summary>
    /// <param name="rgb">Interleaved RGB bytes, a multiple of 3.</param>
    /// <param name="counts">The histogram, <c>1 &lt;&lt; (3 * bits)</c> entries.</param>
    /// <param name="bits">log2 of the bins per channel (1 to 4).</param>
    public static void Accumulate(ReadOnlySpan<byte> rgb, Span<int> counts, int bits)
    {
        var bins = 1 << (3 * bits);
        if (counts.Length < bins)
        {
            throw new ArgumentException($"The histogram needs {bins} entries.", nameof(counts));
        }

        // Four interleaved sub-histograms: consecutive pixels of one colour do not wait on each other's increments.
        var scratch = bins <= 4096 ? stackalloc int[4 * bins] : new int[4 * bins];
        scratch.Clear();
        var done = 0;
        if (Ssse3.IsSupported && rgb.Length >= 48)
        {
            done = AccumulateSsse3(rgb, scratch, bits, bins);
        }

        AccumulateScalar(rgb[done..], scratch, bits, bins);
        for (var i = 0; i < bins; i++)
        {
            counts[i] += scratch[i] + scratch[bins + i] + scratch[(2 * bins) + i] + scratch[(3 * bins) + i];
        }
    }

    /// <summary>The scalar path: every pixel's bin from shifts, four sub-histograms.</summary>
    /// <returns>Bytes consumed.</returns>
    public static int AccumulateScalar(ReadOnlySpan<byte> rgb, Span<int> scratch, int bits, int bins)
    {
        var shift = 8 - bits;
        var pixels = rgb.Length / 3;
        ref var p = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(rgb);
        ref var h = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(scratch);
        var i = 0;
        for (; i + 4 <= pixels; i += 4)
        {
            var o = i * 3;
            Unsafe.Add(ref h, Bin(ref p, o, shift, bits))++;
            Unsafe.Add(ref h, bins + Bin(ref p, o + 3, shift, bits))++;
            Unsafe.Add(ref h, (2 * bins) + Bin(ref p, o + 6, shift, bits))++;
            Unsafe.Add(ref h, (3 * bins) + Bin(ref p, o + 9, shift, bits))++;
        }

        for (; i < pixels; i++)
        {
            Unsafe.Add(ref h, Bin(ref p, i * 3, shift, bits))++;
        }

        return pixels * 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bin(ref byte p, int offset, int shift, int bits) =>
        ((Unsafe.Add(ref p, offset) >> shift) << (2 * bits)) | ((Unsafe.Add(ref p, offset + 1) >> shift) << bits) | (Unsafe.Add(ref p, offset + 2) >> shift);

    private static unsafe int AccumulateSsse3(ReadOnlySpan<byte> rgb, Span<int> scratch, int bits, int bins)
    {
        var shift = 8 - bits;
        var keep = Vector128.Create((byte)((1 << bits) - 1));
        var blocks = rgb.Length / 48;
        var indexes = stackalloc ushort[16];
        fixed (byte* source = rgb)
        fixed (int* h = scratch)
        {
            var h1 = h + bins;
            var h2 = h + (2 * bins);
            var h3 = h + (3 * bins);
            for (var block = 0; block < blocks; block++)
            {
                RgbShuffle.Deinterleave(source + (block * 48), out var r, out var g, out var b);

                // Byte shifts via 16-bit shifts and a mask (x86 has no 8-bit shift).
                r = Sse2.And(Vector128.ShiftRightLogical(r.AsUInt16(), shift).AsByte(), keep);
                g = Sse2.And(Vector128.ShiftRightLogical(g.AsUInt16(), shift).AsByte(), keep);
                b = Sse2.And(Vector128.ShiftRightLogical(b.AsUInt16(), shift).AsByte(), keep);

                // Widen to 16 bits and combine: bin = r << 2bits | g << bits | b.
                var zero = Vector128<byte>.Zero;
                var lo = Sse2.Or(
                    Sse2.Or(Vector128.ShiftLeft(Sse2.UnpackLow(r, zero).AsUInt16(), 2 * bits), Vector128.ShiftLeft(Sse2.UnpackLow(g, zero).AsUInt16(), bits)),
                    Sse2.UnpackLow(b, zero).AsUInt16());
                var hi = Sse2.Or(
                    Sse2.Or(Vector128.ShiftLeft(Sse2.UnpackHigh(r, zero).AsUInt16(), 2 * bits), Vector128.ShiftLeft(Sse2.UnpackHigh(g, zero).AsUInt16(), bits)),
                    Sse2.UnpackHigh(b, zero).AsUInt16());
                Sse2.Store(indexes, lo);
                Sse2.Store(indexes + 8, hi);
                for (var k = 0; k < 16; k += 4)
                {
                    h[indexes[k]]++;
                    h1[indexes[k + 1]]++;
                    h2[indexes[k + 2]]++;
                    h3[indexes[k + 3]]++;
                }
            }
        }

        return blocks * 48;
    }

    /// <summary>Turns counts into the embedding: optional square root (Hellinger), then L2 normalisation with max(norm, 1e-12).</summary>
    /// <param name="counts">The histogram.</param>
    /// <param name="destination">The embedding, as long as <paramref name="counts"/>.</param>
    /// <param name="squareRoot">Whether to take square roots first.</param>
    public static void Finish(ReadOnlySpan<int> counts, Span<float> destination, bool squareRoot)
    {
        TensorPrimitives.ConvertTruncating<int, float>(counts, destination);
        if (squareRoot)
        {
            TensorPrimitives.Sqrt(destination, destination);
        }

        Vectors.EmbeddingKernels.NormalizeL2(destination);
    }
}
