using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Fused per-row kernels of the exact scan: one pass over a row gives the two sums a score needs.
/// Float32 rows use FMA over Vector512/Vector256; uint8 rows are widened to float on the fly
/// (<c>vpmovzxbd</c> + <c>vcvtdq2ps</c>), so a uint8 mosaic is never expanded in memory.
/// Each has a plain scalar fallback that gives the same sums up to float rounding.
/// </summary>
internal static unsafe class SimilarityKernels
{
    /// <summary><c>Σ q·r</c> and <c>Σ r²</c> of a float32 row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotAndSquares(float* q, float* r, int n, out float dot, out float squares)
    {
        var i = 0;
        float d = 0, s = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var r0 = Vector512.Load(r + i);
                var r1 = Vector512.Load(r + i + 16);
                d0 = Vector512.FusedMultiplyAdd(Vector512.Load(q + i), r0, d0);
                d1 = Vector512.FusedMultiplyAdd(Vector512.Load(q + i + 16), r1, d1);
                s0 = Vector512.FusedMultiplyAdd(r0, r0, s0);
                s1 = Vector512.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 16; i += 16)
            {
                var r0 = Vector512.Load(r + i);
                d0 = Vector512.FusedMultiplyAdd(Vector512.Load(q + i), r0, d0);
                s0 = Vector512.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector512.Sum(d0 + d1);
            s = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> d0 = Vector256<float>.Zero, d1 = Vector256<float>.Zero, s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var r0 = Vector256.Load(r + i);
                var r1 = Vector256.Load(r + i + 8);
                d0 = Vector256.FusedMultiplyAdd(Vector256.Load(q + i), r0, d0);
                d1 = Vector256.FusedMultiplyAdd(Vector256.Load(q + i + 8), r1, d1);
                s0 = Vector256.FusedMultiplyAdd(r0, r0, s0);
                s1 = Vector256.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 8; i += 8)
            {
                var r0 = Vector256.Load(r + i);
                d0 = Vector256.FusedMultiplyAdd(Vector256.Load(q + i), r0, d0);
                s0 = Vector256.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector256.Sum(d0 + d1);
            s = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            d = MathF.FusedMultiplyAdd(q[i], r[i], d);
            s = MathF.FusedMultiplyAdd(r[i], r[i], s);
        }

        dot = d;
        squares = s;
    }

    /// <summary><c>Σ q·r</c> and <c>Σ r²</c> of a uint8 row (r taken as stored, 0..255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotAndSquares(float* q, byte* r, int n, out float dot, out float squares)
    {
        var i = 0;
        float d = 0, s = 0;
        if (Avx512F.IsSupported && n >= 16)
        {
            Vector512<float> d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var r1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i + 16)));
                d0 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + i), r0, d0);
                d1 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + i + 16), r1, d1);
                s0 = Avx512F.FusedMultiplyAdd(r0, r0, s0);
                s1 = Avx512F.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 16; i += 16)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                d0 = Avx512F.FusedMultiplyAdd(Vector512.Load(q + i), r0, d0);
                s0 = Avx512F.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector512.Sum(d0 + d1);
            s = Vector512.Sum(s0 + s1);
        }
        else if (Avx2.IsSupported && Fma.IsSupported && n >= 8)
        {
            Vector256<float> d0 = Vector256<float>.Zero, d1 = Vector256<float>.Zero, s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                var r1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i + 8));
                d0 = Fma.MultiplyAdd(Vector256.Load(q + i), r0, d0);
                d1 = Fma.MultiplyAdd(Vector256.Load(q + i + 8), r1, d1);
                s0 = Fma.MultiplyAdd(r0, r0, s0);
                s1 = Fma.MultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 8; i += 8)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                d0 = Fma.MultiplyAdd(Vector256.Load(q + i), r0, d0);
                s0 = Fma.MultiplyAdd(r0, r0, s0);
            }

            d = Vector256.Sum(d0 + d1);
            s = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            float v = r[i];
            d = MathF.FusedMultiplyAdd(q[i], v, d);
            s = MathF.FusedMultiplyAdd(v, v, s);
        }

        dot = d;
        squares = s;
    }

    /// <summary><c>Σ (q − r)²</c> and <c>Σ r²</c> of a float32 row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DiffAndSquares(float* q, float* r, int n, out float diff, out float squares)
    {
        var i = 0;
        float d = 0, s = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var r0 = Vector512.Load(r + i);
                var r1 = Vector512.Load(r + i + 16);
                var e0 = Vector512.Load(q + i) - r0;
                var e1 = Vector512.Load(q + i + 16) - r1;
                d0 = Vector512.FusedMultiplyAdd(e0, e0, d0);
                d1 = Vector512.FusedMultiplyAdd(e1, e1, d1);
                s0 = Vector512.FusedMultiplyAdd(r0, r0, s0);
                s1 = Vector512.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 16; i += 16)
            {
                var r0 = Vector512.Load(r + i);
                var e0 = Vector512.Load(q + i) - r0;
                d0 = Vector512.FusedMultiplyAdd(e0, e0, d0);
                s0 = Vector512.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector512.Sum(d0 + d1);
            s = Vector512.Sum(s0 + s1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> d0 = Vector256<float>.Zero, d1 = Vector256<float>.Zero, s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var r0 = Vector256.Load(r + i);
                var r1 = Vector256.Load(r + i + 8);
                var e0 = Vector256.Load(q + i) - r0;
                var e1 = Vector256.Load(q + i + 8) - r1;
                d0 = Vector256.FusedMultiplyAdd(e0, e0, d0);
                d1 = Vector256.FusedMultiplyAdd(e1, e1, d1);
                s0 = Vector256.FusedMultiplyAdd(r0, r0, s0);
                s1 = Vector256.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 8; i += 8)
            {
                var r0 = Vector256.Load(r + i);
                var e0 = Vector256.Load(q + i) - r0;
                d0 = Vector256.FusedMultiplyAdd(e0, e0, d0);
                s0 = Vector256.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector256.Sum(d0 + d1);
            s = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            var e = q[i] - r[i];
            d = MathF.FusedMultiplyAdd(e, e, d);
            s = MathF.FusedMultiplyAdd(r[i], r[i], s);
        }

        diff = d;
        squares = s;
    }

    /// <summary><c>Σ (q − r)²</c> and <c>Σ r²</c> of a uint8 row (r taken as stored; pass a query divided by the scale).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DiffAndSquares(float* q, byte* r, int n, out float diff, out float squares)
    {
        var i = 0;
        float d = 0, s = 0;
        if (Avx512F.IsSupported && n >= 16)
        {
            Vector512<float> d0 = Vector512<float>.Zero, d1 = Vector512<float>.Zero, s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var r1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i + 16)));
                var e0 = Vector512.Load(q + i) - r0;
                var e1 = Vector512.Load(q + i + 16) - r1;
                d0 = Avx512F.FusedMultiplyAdd(e0, e0, d0);
                d1 = Avx512F.FusedMultiplyAdd(e1, e1, d1);
                s0 = Avx512F.FusedMultiplyAdd(r0, r0, s0);
                s1 = Avx512F.FusedMultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 16; i += 16)
            {
                var r0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(r + i)));
                var e0 = Vector512.Load(q + i) - r0;
                d0 = Avx512F.FusedMultiplyAdd(e0, e0, d0);
                s0 = Avx512F.FusedMultiplyAdd(r0, r0, s0);
            }

            d = Vector512.Sum(d0 + d1);
            s = Vector512.Sum(s0 + s1);
        }
        else if (Avx2.IsSupported && Fma.IsSupported && n >= 8)
        {
            Vector256<float> d0 = Vector256<float>.Zero, d1 = Vector256<float>.Zero, s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                var r1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i + 8));
                var e0 = Vector256.Load(q + i) - r0;
                var e1 = Vector256.Load(q + i + 8) - r1;
                d0 = Fma.MultiplyAdd(e0, e0, d0);
                d1 = Fma.MultiplyAdd(e1, e1, d1);
                s0 = Fma.MultiplyAdd(r0, r0, s0);
                s1 = Fma.MultiplyAdd(r1, r1, s1);
            }

            for (; i <= n - 8; i += 8)
            {
                var r0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(r + i));
                var e0 = Vector256.Load(q + i) - r0;
                d0 = Fma.MultiplyAdd(e0, e0, d0);
                s0 = Fma.MultiplyAdd(r0, r0, s0);
            }

            d = Vector256.Sum(d0 + d1);
            s = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            float v = r[i];
            var e = q[i] - v;
            d = MathF.FusedMultiplyAdd(e, e, d);
            s = MathF.FusedMultiplyAdd(v, v, s);
        }

        diff = d;
        squares = s;
    }

    /// <summary>Span convenience over <see cref="DotAndSquares(float*, float*, int, out float, out float)"/>.</summary>
    public static (float Dot, float Squares) DotAndSquares(ReadOnlySpan<float> q, ReadOnlySpan<float> r)
    {
        CheckLengths(q.Length, r.Length);
        fixed (float* pq = &MemoryMarshal.GetReference(q))
        fixed (float* pr = &MemoryMarshal.GetReference(r))
        {
            DotAndSquares(pq, pr, q.Length, out var dot, out var squares);
            return (dot, squares);
        }
    }

    /// <summary>Span convenience over <see cref="DotAndSquares(float*, byte*, int, out float, out float)"/>.</summary>
    public static (float Dot, float Squares) DotAndSquares(ReadOnlySpan<float> q, ReadOnlySpan<byte> r)
    {
        CheckLengths(q.Length, r.Length);
        fixed (float* pq = &MemoryMarshal.GetReference(q))
        fixed (byte* pr = &MemoryMarshal.GetReference(r))
        {
            DotAndSquares(pq, pr, q.Length, out var dot, out var squares);
            return (dot, squares);
        }
    }

    /// <summary>Span convenience over <see cref="DiffAndSquares(float*, float*, int, out float, out float)"/>.</summary>
    public static (float Diff, float Squares) DiffAndSquares(ReadOnlySpan<float> q, ReadOnlySpan<float> r)
    {
        CheckLengths(q.Length, r.Length);
        fixed (float* pq = &MemoryMarshal.GetReference(q))
        fixed (float* pr = &MemoryMarshal.GetReference(r))
        {
            DiffAndSquares(pq, pr, q.Length, out var diff, out var squares);
            return (diff, squares);
        }
    }

    /// <summary>Span convenience over <see cref="DiffAndSquares(float*, byte*, int, out float, out float)"/>.</summary>
    public static (float Diff, float Squares) DiffAndSquares(ReadOnlySpan<float> q, ReadOnlySpan<byte> r)
    {
        CheckLengths(q.Length, r.Length);
        fixed (float* pq = &MemoryMarshal.GetReference(q))
        fixed (byte* pr = &MemoryMarshal.GetReference(r))
        {
            DiffAndSquares(pq, pr, q.Length, out var diff, out var squares);
            return (diff, squares);
        }
    }

    private static void CheckLengths(int q, int r)
    {
        if (q != r)
        {
            throw new ArgumentException($"The query has {q} values and the row {r}.");
        }
    }
}
