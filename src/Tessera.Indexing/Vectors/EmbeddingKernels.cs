using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Vectors;

/// <summary>
/// Span-based SIMD kernels for embedding rasters: widening quantised values to float32, per-row
/// dequantisation, L2 normalisation, strided pixel gathering and nodata tests. Each uses
/// <see cref="Vector512"/> where the hardware accelerates it, then <see cref="Vector256"/>, then a
/// scalar loop for the remainder, and gives bit-identical results on every path.
/// </summary>
public static class EmbeddingKernels
{
    /// <summary>The smallest norm <see cref="NormalizeRows"/> divides by (as PyTorch's <c>F.normalize</c>).</summary>
    public const float DefaultMinimumNorm = 1e-12f;

    /// <summary>
    /// <c>destination[i] = source[i] / divisor</c> in float32: with the default divisor 255, uint8
    /// embeddings become [0, 1], exactly as NumPy's <c>x.astype(np.float32) / 255</c>.
    /// </summary>
    /// <param name="source">Unsigned bytes.</param>
    /// <param name="destination">At least <c>source.Length</c> floats.</param>
    /// <param name="divisor">The divisor (1 copies the values as floats).</param>
    public static void ConvertUInt8(ReadOnlySpan<byte> source, Span<float> destination, float divisor = 255f)
    {
        CheckDestination(source.Length, destination.Length);
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)source.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<byte>.Count)
        {
            var d = Vector512.Create(divisor);
            for (; i + (nuint)Vector512<byte>.Count <= n; i += (nuint)Vector512<byte>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref src, i));
                var (a, b) = Vector512.Widen(lo);
                var (c, e) = Vector512.Widen(hi);
                (Vector512.ConvertToSingle(a.AsInt32()) / d).StoreUnsafe(ref dst, i);
                (Vector512.ConvertToSingle(b.AsInt32()) / d).StoreUnsafe(ref dst, i + 16);
                (Vector512.ConvertToSingle(c.AsInt32()) / d).StoreUnsafe(ref dst, i + 32);
                (Vector512.ConvertToSingle(e.AsInt32()) / d).StoreUnsafe(ref dst, i + 48);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<byte>.Count)
        {
            var d = Vector256.Create(divisor);
            for (; i + (nuint)Vector256<byte>.Count <= n; i += (nuint)Vector256<byte>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
                var (a, b) = Vector256.Widen(lo);
                var (c, e) = Vector256.Widen(hi);
                (Vector256.ConvertToSingle(a.AsInt32()) / d).StoreUnsafe(ref dst, i);
                (Vector256.ConvertToSingle(b.AsInt32()) / d).StoreUnsafe(ref dst, i + 8);
                (Vector256.ConvertToSingle(c.AsInt32()) / d).StoreUnsafe(ref dst, i + 16);
                (Vector256.ConvertToSingle(e.AsInt32()) / d).StoreUnsafe(ref dst, i + 24);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i) / divisor;
        }
    }

    /// <summary><c>destination[i] = source[i] * scale</c> in float32 (int8 dequantisation with one scale).</summary>
    /// <param name="source">Signed bytes.</param>
    /// <param name="scale">The scale.</param>
    /// <param name="destination">At least <c>source.Length</c> floats.</param>
    public static void DequantizeInt8(ReadOnlySpan<sbyte> source, float scale, Span<float> destination)
    {
        CheckDestination(source.Length, destination.Length);
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var n = (nuint)source.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<sbyte>.Count)
        {
            var s = Vector512.Create(scale);
            for (; i + (nuint)Vector512<sbyte>.Count <= n; i += (nuint)Vector512<sbyte>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref src, i));
                var (a, b) = Vector512.Widen(lo);
                var (c, e) = Vector512.Widen(hi);
                (Vector512.ConvertToSingle(a) * s).StoreUnsafe(ref dst, i);
                (Vector512.ConvertToSingle(b) * s).StoreUnsafe(ref dst, i + 16);
                (Vector512.ConvertToSingle(c) * s).StoreUnsafe(ref dst, i + 32);
                (Vector512.ConvertToSingle(e) * s).StoreUnsafe(ref dst, i + 48);
            }
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<sbyte>.Count)
        {
            var s = Vector256.Create(scale);
            for (; i + (nuint)Vector256<sbyte>.Count <= n; i += (nuint)Vector256<sbyte>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, i));
                var (a, b) = Vector256.Widen(lo);
                var (c, e) = Vector256.Widen(hi);
                (Vector256.ConvertToSingle(a) * s).StoreUnsafe(ref dst, i);
                (Vector256.ConvertToSingle(b) * s).StoreUnsafe(ref dst, i + 8);
                (Vector256.ConvertToSingle(c) * s).StoreUnsafe(ref dst, i + 16);
                (Vector256.ConvertToSingle(e) * s).StoreUnsafe(ref dst, i + 24);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = Unsafe.Add(ref src, i) * scale;
        }
    }

    /// <summary>
    /// Dequantises rows of int8 values, each with its own scale (GeoTessera's native tiles:
    /// <c>embedding = int8 * scales[..., None]</c>): row <c>r</c> is
    /// <c>source[r*d .. (r+1)*d] * rowScales[r]</c> with <c>d = source.Length / rowScales.Length</c>.
    /// </summary>
    /// <param name="source">Rows of int8 values.</param>
    /// <param name="rowScales">One scale per row.</param>
    /// <param name="destination">At least <c>source.Length</c> floats.</param>
    public static void DequantizeInt8Rows(ReadOnlySpan<sbyte> source, ReadOnlySpan<float> rowScales, Span<float> destination)
    {
        if (rowScales.Length == 0)
        {
            if (source.Length != 0)
            {
                throw new ArgumentException("Rows need one scale each.", nameof(rowScales));
            }

            return;
        }

        if (source.Length % rowScales.Length != 0)
        {
            throw new ArgumentException($"{source.Length} values do not split into {rowScales.Length} equal rows.", nameof(source));
        }

        CheckDestination(source.Length, destination.Length);
        var d = source.Length / rowScales.Length;
        for (var r = 0; r < rowScales.Length; r++)
        {
            DequantizeInt8(source.Slice(r * d, d), rowScales[r], destination.Slice(r * d, d));
        }
    }

    /// <summary>
    /// L2-normalises each row of <paramref name="dimension"/> values in place:
    /// <c>row / max(‖row‖, minimumNorm)</c>, so an all-zero row stays zero instead of becoming NaN.
    /// </summary>
    /// <param name="vectors">Rows, row-major.</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="minimumNorm">The smallest divisor (default 1e-12).</param>
    public static void NormalizeRows(Span<float> vectors, int dimension, float minimumNorm = DefaultMinimumNorm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (vectors.Length % dimension != 0)
        {
            throw new ArgumentException($"{vectors.Length} values are not whole rows of {dimension}.", nameof(vectors));
        }

        for (var offset = 0; offset < vectors.Length; offset += dimension)
        {
            NormalizeL2(vectors.Slice(offset, dimension), minimumNorm);
        }
    }

    /// <summary>
    /// L2-normalises one vector in place: <c>vector / max(‖vector‖, minimumNorm)</c>, so an all-zero
    /// vector stays zero instead of becoming NaN (the clamp of the design's <c>clamp(min=1e-12)</c>).
    /// </summary>
    /// <param name="vector">The vector.</param>
    /// <param name="minimumNorm">The smallest divisor (default 1e-12).</param>
    public static void NormalizeL2(Span<float> vector, float minimumNorm = DefaultMinimumNorm)
    {
        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, MathF.Max(norm, minimumNorm), vector);
    }

    /// <summary>
    /// Copies every <paramref name="step"/>-th pixel, starting at pixel <paramref name="start"/>, of a
    /// pixel-interleaved row (<paramref name="pixelLength"/> values per pixel) to the start of
    /// <paramref name="destination"/>.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="pixels">Whole pixels, <paramref name="pixelLength"/> values each.</param>
    /// <param name="pixelLength">Values per pixel (the band count).</param>
    /// <param name="start">The first pixel to take.</param>
    /// <param name="step">Pixels between two taken ones (the sampling factor), at least 1.</param>
    /// <param name="destination">Room for every taken pixel.</param>
    /// <returns>The number of pixels copied.</returns>
    public static int GatherStrided<T>(ReadOnlySpan<T> pixels, int pixelLength, int start, int step, Span<T> destination)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixelLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        var pixelCount = pixels.Length / pixelLength;
        var taken = start >= pixelCount ? 0 : ((pixelCount - start - 1) / step) + 1;
        CheckDestination(taken * pixelLength, destination.Length);
        var k = 0;
        for (var p = start; p < pixelCount; p += step, k++)
        {
            pixels.Slice(p * pixelLength, pixelLength).CopyTo(destination.Slice(k * pixelLength, pixelLength));
        }

        return taken;
    }

    /// <summary>Whether every value equals <paramref name="value"/>.</summary>
    /// <param name="values">The values (for example the bands of one pixel).</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when all are equal (or there are none).</returns>
    public static bool IsAll(ReadOnlySpan<byte> values, byte value) => values.IndexOfAnyExcept(value) < 0;

    /// <summary>Whether every value equals <paramref name="value"/>.</summary>
    /// <param name="values">The values.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when all are equal (or there are none).</returns>
    public static bool IsAll(ReadOnlySpan<sbyte> values, sbyte value) => values.IndexOfAnyExcept(value) < 0;

    /// <summary>
    /// Whether every value equals <paramref name="value"/> (IEEE equality, so 0 matches -0); when
    /// <paramref name="value"/> is NaN, whether every value is NaN.
    /// </summary>
    /// <param name="values">The values.</param>
    /// <param name="value">The value, or NaN.</param>
    /// <returns><see langword="true"/> when all match (or there are none).</returns>
    public static bool IsAll(ReadOnlySpan<float> values, float value)
    {
        ref var src = ref MemoryMarshal.GetReference(values);
        var n = (nuint)values.Length;
        nuint i = 0;
        var nan = float.IsNaN(value);
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var x = Vector256.LoadUnsafe(ref src, i);
                if (nan ? Vector256.EqualsAny(x, x) : !Vector256.EqualsAll(x, v))
                {
                    return false;
                }
            }
        }

        for (; i < n; i++)
        {
            var x = Unsafe.Add(ref src, i);
            if (nan ? !float.IsNaN(x) : x != value)
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckDestination(int needed, int available)
    {
        if (available < needed)
        {
            throw new ArgumentException($"The destination holds {available} values; {needed} are needed.", "destination");
        }
    }
}
