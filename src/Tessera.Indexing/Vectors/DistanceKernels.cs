using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Vectors;

/// <summary>
/// Span-based distance kernels: one query against one vector or against many rows (float32 or
/// uint8 scaled to float), squared L2 and inner product. They use 512-bit vectors where the CPU has
/// AVX-512, 256-bit with FMA where it has AVX2, and scalar loops elsewhere; results agree to float
/// rounding whichever path runs. With <see cref="ScanKernels"/> (the viewport scan's exact and
/// quantised kernels, which this class's float inner product over rows shares) they are the one
/// family of distance kernels: the flat index, k-means/PQ training and the mosaic scan all use them.
/// </summary>
/// <remarks>
/// Rows are row-major: <c>rows.Length == results.Length * query.Length</c>. A uint8 row <c>r</c>
/// stands for the float vector <c>scale * r</c> (for example <c>1/255</c> for embedding mosaics stored
/// as bytes), so the kernels compare a float query with byte rows without converting them first.
/// </remarks>
public static unsafe class DistanceKernels
{
    /// <summary>Squared Euclidean distance between two vectors of the same length.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector.</param>
    /// <returns><c>sum((x[i] - y[i])^2)</c>.</returns>
    public static float SquaredL2(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            return SquaredL2(px, py, x.Length, Simd.Best);
        }
    }

    /// <summary>Inner product of two vectors of the same length.</summary>
    /// <param name="x">The first vector.</param>
    /// <param name="y">The second vector.</param>
    /// <returns><c>sum(x[i] * y[i])</c>.</returns>
    public static float InnerProduct(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        SameLength(x.Length, y.Length, nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            return InnerProduct(px, py, x.Length, Simd.Best);
        }
    }

    /// <summary>Squared L2 distance from <paramref name="query"/> to every row of <paramref name="rows"/>.</summary>
    /// <param name="query">The query, <c>d</c> floats.</param>
    /// <param name="rows">Row-major float rows, <c>n * d</c> values.</param>
    /// <param name="distances">Output, <c>n</c> values.</param>
    public static void SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> distances) =>
        SquaredL2(query, rows, distances, Simd.Best);

    /// <summary>Inner product of <paramref name="query"/> with every row of <paramref name="rows"/>.</summary>
    /// <param name="query">The query, <c>d</c> floats.</param>
    /// <param name="rows">Row-major float rows, <c>n * d</c> values.</param>
    /// <param name="results">Output, <c>n</c> values.</param>
    public static void InnerProduct(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> results) =>
        InnerProduct(query, rows, results, Simd.Best);

    /// <summary>Squared L2 distance from <paramref name="query"/> to every byte row read as <c>scale * row</c>.</summary>
    /// <param name="query">The query, <c>d</c> floats.</param>
    /// <param name="rows">Row-major byte rows, <c>n * d</c> values.</param>
    /// <param name="scale">What one unit of a byte is worth (for example <c>1f / 255</c>).</param>
    /// <param name="distances">Output, <c>n</c> values.</param>
    public static void SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<byte> rows, float scale, Span<float> distances) =>
        SquaredL2(query, rows, scale, distances, Simd.Best);

    /// <summary>Inner product of <paramref name="query"/> with every byte row read as <c>scale * row</c>.</summary>
    /// <param name="query">The query, <c>d</c> floats.</param>
    /// <param name="rows">Row-major byte rows, <c>n * d</c> values.</param>
    /// <param name="scale">What one unit of a byte is worth (for example <c>1f / 255</c>).</param>
    /// <param name="results">Output, <c>n</c> values.</param>
    public static void InnerProduct(ReadOnlySpan<float> query, ReadOnlySpan<byte> rows, float scale, Span<float> results) =>
        InnerProduct(query, rows, scale, results, Simd.Best);

    /// <summary>Squared L2 norm of every row.</summary>
    /// <param name="rows">Row-major float rows, <c>n * dimension</c> values.</param>
    /// <param name="dimension">Row length.</param>
    /// <param name="norms">Output, <c>n</c> values.</param>
    public static void SquaredNorms(ReadOnlySpan<float> rows, int dimension, Span<float> norms)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var n = CheckRows(rows.Length, dimension, norms.Length);
        var level = Simd.Best;
        fixed (float* pr = rows)
        fixed (float* pn = norms)
        {
            for (var i = 0; i < n; i++)
            {
                var row = pr + ((long)i * dimension);
                pn[i] = InnerProduct(row, row, dimension, level);
            }
        }
    }

    internal static void SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> distances, SimdLevel level)
    {
        var d = query.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(query));
        var n = CheckRows(rows.Length, d, distances.Length);
        level = Simd.Clamp(level);
        fixed (float* q = query)
        fixed (float* r = rows)
        fixed (float* o = distances)
        {
            for (var i = 0; i < n; i++)
            {
                o[i] = SquaredL2(q, r + ((long)i * d), d, level);
            }
        }
    }

    internal static void InnerProduct(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, Span<float> results, SimdLevel level)
    {
        var d = query.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(query));
        var n = CheckRows(rows.Length, d, results.Length);
        level = Simd.Clamp(level);
        fixed (float* q = query)
        fixed (float* r = rows)
        fixed (float* o = results)
        {
            // Four rows per horizontal reduction: the scan's multi-row kernel.
            ScanKernels.FloatDots(q, r, d, n, o, level);
        }
    }

    internal static void SquaredL2(ReadOnlySpan<float> query, ReadOnlySpan<byte> rows, float scale, Span<float> distances, SimdLevel level)
    {
        var d = query.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(query));
        var n = CheckRows(rows.Length, d, distances.Length);
        level = Simd.Clamp(level);
        fixed (float* q = query)
        fixed (byte* r = rows)
        fixed (float* o = distances)
        {
            for (var i = 0; i < n; i++)
            {
                o[i] = SquaredL2Bytes(q, r + ((long)i * d), d, scale, level);
            }
        }
    }

    internal static void InnerProduct(ReadOnlySpan<float> query, ReadOnlySpan<byte> rows, float scale, Span<float> results, SimdLevel level)
    {
        var d = query.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1, nameof(query));
        var n = CheckRows(rows.Length, d, results.Length);
        level = Simd.Clamp(level);
        fixed (float* q = query)
        fixed (byte* r = rows)
        fixed (float* o = results)
        {
            for (var i = 0; i < n; i++)
            {
                o[i] = InnerProductBytes(q, r + ((long)i * d), d, level) * scale;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SquaredL2(float* x, float* y, int d, SimdLevel level)
    {
        var i = 0;
        var sum = 0f;
        if (level == SimdLevel.Vector512 && d >= 16)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (; i + 32 <= d; i += 32)
            {
                var t0 = Vector512.Load(x + i) - Vector512.Load(y + i);
                var t1 = Vector512.Load(x + i + 16) - Vector512.Load(y + i + 16);
                a0 = Vector512.FusedMultiplyAdd(t0, t0, a0);
                a1 = Vector512.FusedMultiplyAdd(t1, t1, a1);
            }

            if (i + 16 <= d)
            {
                var t0 = Vector512.Load(x + i) - Vector512.Load(y + i);
                a0 = Vector512.FusedMultiplyAdd(t0, t0, a0);
                i += 16;
            }

            sum = Vector512.Sum(a0 + a1);
        }
        else if (level >= SimdLevel.Vector256 && d >= 8)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            for (; i + 16 <= d; i += 16)
            {
                var t0 = Vector256.Load(x + i) - Vector256.Load(y + i);
                var t1 = Vector256.Load(x + i + 8) - Vector256.Load(y + i + 8);
                a0 = Fma.MultiplyAdd(t0, t0, a0);
                a1 = Fma.MultiplyAdd(t1, t1, a1);
            }

            if (i + 8 <= d)
            {
                var t0 = Vector256.Load(x + i) - Vector256.Load(y + i);
                a0 = Fma.MultiplyAdd(t0, t0, a0);
                i += 8;
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; i < d; i++)
        {
            var t = x[i] - y[i];
            sum += t * t;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float InnerProduct(float* x, float* y, int d, SimdLevel level)
    {
        var i = 0;
        var sum = 0f;
        if (level == SimdLevel.Vector512 && d >= 16)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (; i + 32 <= d; i += 32)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), a0);
                a1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16), Vector512.Load(y + i + 16), a1);
            }

            if (i + 16 <= d)
            {
                a0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), a0);
                i += 16;
            }

            sum = Vector512.Sum(a0 + a1);
        }
        else if (level >= SimdLevel.Vector256 && d >= 8)
        {
            var a0 = Vector256<float>.Zero;
            var a1 = Vector256<float>.Zero;
            for (; i + 16 <= d; i += 16)
            {
                a0 = Fma.MultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), a0);
                a1 = Fma.MultiplyAdd(Vector256.Load(x + i + 8), Vector256.Load(y + i + 8), a1);
            }

            if (i + 8 <= d)
            {
                a0 = Fma.MultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), a0);
                i += 8;
            }

            sum = Vector256.Sum(a0 + a1);
        }

        for (; i < d; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SquaredL2Bytes(float* q, byte* r, int d, float scale, SimdLevel level)
    {
        var i = 0;
        var sum = 0f;
        if (level == SimdLevel.Vector512 && d >= 16)
        {
            var negScale = Vector512.Create(-scale);
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (; i + 32 <= d; i += 32)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var r1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i + 16)));
                var t0 = Vector512.FusedMultiplyAdd(negScale, r0, Vector512.Load(q + i));
                var t1 = Vector512.FusedMultiplyAdd(negScale, r1, Vector512.Load(q + i + 16));
                a0 = Vector512.FusedMultiplyAdd(t0, t0, a0);
                a1 = Vector512.FusedMultiplyAdd(t1, t1, a1);
            }

            if (i + 16 <= d)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var t0 = Vector512.FusedMultiplyAdd(negScale, r0, Vector512.Load(q + i));
                a0 = Vector512.FusedMultiplyAdd(t0, t0, a0);
                i += 16;
            }

            sum = Vector512.Sum(a0 + a1);
        }
        else if (level >= SimdLevel.Vector256 && d >= 8)
        {
            var negScale = Vector256.Create(-scale);
            var a0 = Vector256<float>.Zero;
            for (; i + 8 <= d; i += 8)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                var t0 = Fma.MultiplyAdd(negScale, r0, Vector256.Load(q + i));
                a0 = Fma.MultiplyAdd(t0, t0, a0);
            }

            sum = Vector256.Sum(a0);
        }

        for (; i < d; i++)
        {
            var t = q[i] - (scale * r[i]);
            sum += t * t;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float InnerProductBytes(float* q, byte* r, int d, SimdLevel level)
    {
        var i = 0;
        var sum = 0f;
        if (level == SimdLevel.Vector512 && d >= 16)
        {
            var a0 = Vector512<float>.Zero;
            var a1 = Vector512<float>.Zero;
            for (; i + 32 <= d; i += 32)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var r1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i + 16)));
                a0 = Vector512.FusedMultiplyAdd(r0, Vector512.Load(q + i), a0);
                a1 = Vector512.FusedMultiplyAdd(r1, Vector512.Load(q + i + 16), a1);
            }

            if (i + 16 <= d)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                a0 = Vector512.FusedMultiplyAdd(r0, Vector512.Load(q + i), a0);
                i += 16;
            }

            sum = Vector512.Sum(a0 + a1);
        }
        else if (level >= SimdLevel.Vector256 && d >= 8)
        {
            var a0 = Vector256<float>.Zero;
            for (; i + 8 <= d; i += 8)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                a0 = Fma.MultiplyAdd(r0, Vector256.Load(q + i), a0);
            }

            sum = Vector256.Sum(a0);
        }

        for (; i < d; i++)
        {
            sum += q[i] * r[i];
        }

        return sum;
    }

    private static void SameLength(int x, int y, string parameter)
    {
        if (x != y)
        {
            throw new ArgumentException($"The vectors differ in length ({x} and {y}).", parameter);
        }
    }

    private static int CheckRows(int values, int dimension, int outputs)
    {
        if (values % dimension != 0)
        {
            throw new ArgumentException($"{values} values is not a whole number of {dimension}-d rows.", "rows");
        }

        var n = values / dimension;
        if (outputs != n)
        {
            throw new ArgumentException($"Expected one output per row ({n}), got {outputs}.", "distances");
        }

        return n;
    }
}
