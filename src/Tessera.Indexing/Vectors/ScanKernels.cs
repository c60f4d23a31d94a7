using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Vectors;

/// <summary>
/// The kernels of an exact scan over row-major embeddings (float32 rows, or uint8 rows read as
/// stored), in two kinds:
/// <list type="bullet">
/// <item><b>Exact, deterministic</b> (<see cref="Dot(float*, byte*, int, SimdLevel)"/>,
/// <see cref="SquaredDistance(float*, float*, int, SimdLevel)"/>, <see cref="Norm(float*, int, SimdLevel)"/>, …):
/// sums in double precision over eight fixed lanes (lane <c>j</c> adds the terms <c>i ≡ j (mod 8)</c> in
/// increasing <c>i</c>; the lanes are then added as <c>((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7))</c>).
/// Every product of two floats (or a float and a byte) is exact in double, so the scalar, 256-bit and
/// 512-bit paths return the same bits: a score does not depend on the machine or the path.</item>
/// <item><b>Approximate, fast</b> (<see cref="IntegerDots"/>, <see cref="FloatDots"/>): several rows per
/// horizontal reduction, integer dot products of uint8 rows against int8 query codes (exact
/// integers), or one float FMA stream for float32 rows. Callers bound their error (see
/// <see cref="Int8QuantizedVector"/> and <see cref="FloatDotErrorFactor"/>) and rescore with the exact kernels
/// whatever the bound cannot decide.</item>
/// </list>
/// </summary>
public static unsafe class ScanKernels
{
    /// <summary>Rows per horizontal reduction in the approximate kernels.</summary>
    public const int RowsPerReduction = 4;

    /// <summary>The largest query code a path accepts (<c>vpmaddubsw</c> adds two u8×s8 products into an int16: 2·255·64 = 32,640 &lt; 32,767).</summary>
    public static int MaxCode(IntegerDotPath path) => path is IntegerDotPath.Avx2 or IntegerDotPath.Avx512BW ? 64 : 127;

    /// <summary>
    /// A bound on the relative error of <see cref="FloatDots"/>: <c>|fl(Σ qᵢrᵢ) − Σ qᵢrᵢ| ≤ factor · Σ |qᵢrᵢ|</c>.
    /// Any order of <c>d</c> products and at most <c>d</c> additions (FMA or not, tree or chain) stays
    /// within <c>γ_d = d·u / (1 − d·u)</c> with <c>u = 2⁻²⁴</c> (Higham, <i>Accuracy and Stability of
    /// Numerical Algorithms</i>, §3.1); the factor returned is <c>2·γ_(d+2)</c>, twice that, for margin.
    /// </summary>
    public static double FloatDotErrorFactor(int dimension)
    {
        var du = (dimension + 2) * Math.ScaleB(1.0, -24);
        return 2 * du / (1 - du);
    }

    /// <summary>Exact, deterministic <c>Σ qᵢ·rᵢ</c> of a uint8 row (taken as stored, 0..255).</summary>
    public static double Dot(float* q, byte* r, int d, SimdLevel level) => Accumulate<DotTerm, float, byte>(q, r, d, level);

    /// <summary>Exact, deterministic <c>Σ qᵢ·rᵢ</c> of a float32 row.</summary>
    public static double Dot(float* q, float* r, int d, SimdLevel level) => Accumulate<DotTerm, float, float>(q, r, d, level);

    /// <summary>Exact, deterministic <c>Σ (qᵢ − rᵢ)²</c> of a uint8 row (taken as stored).</summary>
    public static double SquaredDistance(float* q, byte* r, int d, SimdLevel level) => Accumulate<SquaredDifferenceTerm, float, byte>(q, r, d, level);

    /// <summary>Exact, deterministic <c>Σ (qᵢ − rᵢ)²</c> of a float32 row.</summary>
    public static double SquaredDistance(float* q, float* r, int d, SimdLevel level) => Accumulate<SquaredDifferenceTerm, float, float>(q, r, d, level);

    /// <summary>As <see cref="Dot(float*, byte*, int, SimdLevel)"/> with the query already widened to double (the same bits, one conversion fewer per value).</summary>
    public static double Dot(double* q, byte* r, int d, SimdLevel level) => Accumulate<DotTerm, double, byte>(q, r, d, level);

    /// <summary>As <see cref="Dot(float*, float*, int, SimdLevel)"/> with the query already widened to double.</summary>
    public static double Dot(double* q, float* r, int d, SimdLevel level) => Accumulate<DotTerm, double, float>(q, r, d, level);

    /// <summary>As <see cref="SquaredDistance(float*, byte*, int, SimdLevel)"/> with the query already widened to double.</summary>
    public static double SquaredDistance(double* q, byte* r, int d, SimdLevel level) => Accumulate<SquaredDifferenceTerm, double, byte>(q, r, d, level);

    /// <summary>As <see cref="SquaredDistance(float*, float*, int, SimdLevel)"/> with the query already widened to double.</summary>
    public static double SquaredDistance(double* q, float* r, int d, SimdLevel level) => Accumulate<SquaredDifferenceTerm, double, float>(q, r, d, level);

    /// <summary>The deterministic norm of a float32 vector: <c>(float)√(Σ rᵢ²)</c> with the sum as in <see cref="Dot(float*, float*, int, SimdLevel)"/>.</summary>
    public static float Norm(float* r, int d, SimdLevel level) => (float)Math.Sqrt(Accumulate<DotTerm, float, float>(r, r, d, level));

    /// <summary>The norm of a uint8 row: <c>(float)√(Σ rᵢ²)</c>; the sum is an exact integer, so every path agrees.</summary>
    public static float Norm(byte* r, int d) => (float)Math.Sqrt(SquaresOfBytes(r, d));

    /// <summary>Norms of <paramref name="count"/> consecutive uint8 rows of <paramref name="d"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Norms(byte* rows, int d, int count, float* norms)
    {
        for (var j = 0; j < count; j++)
        {
            norms[j] = Norm(rows + ((long)j * d), d);
        }
    }

    /// <summary>Norms of <paramref name="count"/> consecutive float32 rows of <paramref name="d"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Norms(float* rows, int d, int count, float* norms, SimdLevel level)
    {
        for (var j = 0; j < count; j++)
        {
            norms[j] = Norm(rows + ((long)j * d), d, level);
        }
    }

    /// <summary>
    /// <c>dots[j] = Σ codes[i] · rows[j·d + i]</c> for <paramref name="count"/> consecutive uint8 rows, exact in
    /// int32 on every path (codes within ±<see cref="MaxCode"/> of the path; <c>d·255·127 &lt; 2³¹</c> for any
    /// <c>d</c> up to 66,000). Four rows share one horizontal reduction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void IntegerDots(sbyte* codes, byte* rows, int d, int count, int* dots, IntegerDotPath path)
    {
        var j = 0;
        if (path != IntegerDotPath.Scalar && d >= 32)
        {
            for (; j + RowsPerReduction <= count; j += RowsPerReduction)
            {
                var r0 = rows + ((long)j * d);
                IntegerDots4(codes, r0, d, path).Store(dots + j);
            }
        }

        for (; j < count; j++)
        {
            dots[j] = IntegerDotScalar(codes, rows + ((long)j * d), 0, d);
        }
    }

    /// <summary>
    /// <c>dots[j] ≈ Σ q[i] · rows[j·d + i]</c> for <paramref name="count"/> consecutive float32 rows: one FMA
    /// stream, four rows per horizontal reduction. Error within <see cref="FloatDotErrorFactor"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FloatDots(float* q, float* rows, int d, int count, float* dots, SimdLevel level)
    {
        var j = 0;
        if (level == SimdLevel.Vector512 && d >= 16)
        {
            for (; j + RowsPerReduction <= count; j += RowsPerReduction)
            {
                FloatDots4x512(q, rows + ((long)j * d), d).Store(dots + j);
            }
        }
        else if (level >= SimdLevel.Vector256 && d >= 8)
        {
            for (; j + RowsPerReduction <= count; j += RowsPerReduction)
            {
                FloatDots4x256(q, rows + ((long)j * d), d).Store(dots + j);
            }
        }

        // The rows left over (fewer than four, or every row on the scalar path): the one-row kernel.
        for (; j < count; j++)
        {
            dots[j] = DistanceKernels.InnerProduct(q, rows + ((long)j * d), d, level);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long SquaresOfBytes(byte* r, int d)
    {
        var i = 0;
        long sum = 0;
        if (Avx2.IsSupported && d >= 16)
        {
            var acc = Vector256<int>.Zero;
            for (; i + 16 <= d; i += 16)
            {
                var w = Avx2.ConvertToVector256Int16(r + i);
                acc += Avx2.MultiplyAddAdjacent(w, w);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < d; i++)
        {
            sum += r[i] * r[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static double Accumulate<TTerm, TQuery, TRow>(TQuery* q, TRow* r, int d, SimdLevel level)
        where TTerm : struct, ITerm
        where TQuery : unmanaged
        where TRow : unmanaged
    {
        var lanes = stackalloc double[8];
        var i = 0;
        if (level == SimdLevel.Vector512 && d >= 8 && Avx512F.IsSupported)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 8 <= d; i += 8)
            {
                acc += TTerm.Apply(Load8(q + i), Load8(r + i));
            }

            acc.Store(lanes);
        }
        else if (level >= SimdLevel.Vector256 && d >= 8 && Avx2.IsSupported)
        {
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            for (; i + 8 <= d; i += 8)
            {
                a0 += TTerm.Apply(Load4(q + i), Load4(r + i));
                a1 += TTerm.Apply(Load4(q + i + 4), Load4(r + i + 4));
            }

            a0.Store(lanes);
            a1.Store(lanes + 4);
        }
        else
        {
            new Span<double>(lanes, 8).Clear();
        }

        for (; i < d; i++)
        {
            lanes[i & 7] += TTerm.Apply(ToDouble(q[i]), ToDouble(r[i]));
        }

        return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ToDouble<T>(T value)
        where T : unmanaged =>
        typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref value)
        : typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value)
        : Unsafe.As<T, float>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Load8<T>(T* p)
        where T : unmanaged =>
        typeof(T) == typeof(byte) ? Avx512F.ConvertToVector512Double(Avx2.ConvertToVector256Int32((byte*)p))
        : typeof(T) == typeof(double) ? Vector512.Load((double*)p)
        : Avx512F.ConvertToVector512Double(Vector256.Load((float*)p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load4<T>(T* p)
        where T : unmanaged =>
        typeof(T) == typeof(byte) ? Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32((byte*)p))
        : typeof(T) == typeof(double) ? Vector256.Load((double*)p)
        : Avx.ConvertToVector256Double(Vector128.Load((float*)p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IntegerDotScalar(sbyte* codes, byte* r, int from, int d)
    {
        var s = 0;
        for (var i = from; i < d; i++)
        {
            s += codes[i] * r[i];
        }

        return s;
    }

    /// <summary>Four rows' integer dot products; the vector part covers whole 32-byte steps, the rest is scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<int> IntegerDots4(sbyte* codes, byte* r0, int d, IntegerDotPath path)
    {
        var r1 = r0 + d;
        var r2 = r1 + d;
        var r3 = r2 + d;
        Vector256<int> a0 = Vector256<int>.Zero, a1 = Vector256<int>.Zero, a2 = Vector256<int>.Zero, a3 = Vector256<int>.Zero;
        var i = 0;
        if (path == IntegerDotPath.AvxVnni)
        {
            for (; i + 32 <= d; i += 32)
            {
                var c = Vector256.Load(codes + i);
                a0 = AvxVnni.MultiplyWideningAndAdd(a0, Vector256.Load(r0 + i), c);
                a1 = AvxVnni.MultiplyWideningAndAdd(a1, Vector256.Load(r1 + i), c);
                a2 = AvxVnni.MultiplyWideningAndAdd(a2, Vector256.Load(r2 + i), c);
                a3 = AvxVnni.MultiplyWideningAndAdd(a3, Vector256.Load(r3 + i), c);
            }
        }
        else
        {
            if (path == IntegerDotPath.Avx512BW && d >= 64)
            {
                var ones = Vector512<short>.One;
                Vector512<int> b0 = Vector512<int>.Zero, b1 = Vector512<int>.Zero, b2 = Vector512<int>.Zero, b3 = Vector512<int>.Zero;
                for (; i + 64 <= d; i += 64)
                {
                    var c = Vector512.Load(codes + i);
                    b0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.Load(r0 + i), c), ones);
                    b1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.Load(r1 + i), c), ones);
                    b2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.Load(r2 + i), c), ones);
                    b3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Vector512.Load(r3 + i), c), ones);
                }

                a0 = b0.GetLower() + b0.GetUpper();
                a1 = b1.GetLower() + b1.GetUpper();
                a2 = b2.GetLower() + b2.GetUpper();
                a3 = b3.GetLower() + b3.GetUpper();
            }

            var ones256 = Vector256<short>.One;
            for (; i + 32 <= d; i += 32)
            {
                var c = Vector256.Load(codes + i);
                a0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(r0 + i), c), ones256);
                a1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(r1 + i), c), ones256);
                a2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(r2 + i), c), ones256);
                a3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(r3 + i), c), ones256);
            }
        }

        var sums = Reduce4(a0, a1, a2, a3);
        if (i < d)
        {
            sums += Vector128.Create(
                IntegerDotScalar(codes, r0, i, d),
                IntegerDotScalar(codes, r1, i, d),
                IntegerDotScalar(codes, r2, i, d),
                IntegerDotScalar(codes, r3, i, d));
        }

        return sums;
    }

    /// <summary>Four float rows' dot products with 512-bit FMA; the tail below 16 values is scalar FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> FloatDots4x512(float* q, float* r0, int d)
    {
        var r1 = r0 + d;
        var r2 = r1 + d;
        var r3 = r2 + d;
        Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
        var i = 0;
        for (; i + 16 <= d; i += 16)
        {
            var c = Vector512.Load(q + i);
            a0 = Vector512.FusedMultiplyAdd(c, Vector512.Load(r0 + i), a0);
            a1 = Vector512.FusedMultiplyAdd(c, Vector512.Load(r1 + i), a1);
            a2 = Vector512.FusedMultiplyAdd(c, Vector512.Load(r2 + i), a2);
            a3 = Vector512.FusedMultiplyAdd(c, Vector512.Load(r3 + i), a3);
        }

        var sums = Reduce4(a0.GetLower() + a0.GetUpper(), a1.GetLower() + a1.GetUpper(), a2.GetLower() + a2.GetUpper(), a3.GetLower() + a3.GetUpper());
        return i < d ? sums + FloatTails(q, r0, d, i) : sums;
    }

    /// <summary>Four float rows' dot products with 256-bit FMA; the tail below 8 values is scalar FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> FloatDots4x256(float* q, float* r0, int d)
    {
        var r1 = r0 + d;
        var r2 = r1 + d;
        var r3 = r2 + d;
        Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
        var i = 0;
        for (; i + 8 <= d; i += 8)
        {
            var c = Vector256.Load(q + i);
            a0 = Fma.MultiplyAdd(c, Vector256.Load(r0 + i), a0);
            a1 = Fma.MultiplyAdd(c, Vector256.Load(r1 + i), a1);
            a2 = Fma.MultiplyAdd(c, Vector256.Load(r2 + i), a2);
            a3 = Fma.MultiplyAdd(c, Vector256.Load(r3 + i), a3);
        }

        var sums = Reduce4(a0, a1, a2, a3);
        return i < d ? sums + FloatTails(q, r0, d, i) : sums;
    }

    private static Vector128<float> FloatTails(float* q, float* r0, int d, int from)
    {
        var t = stackalloc float[4];
        for (var k = 0; k < 4; k++)
        {
            var r = r0 + ((long)k * d);
            var s = 0f;
            for (var i = from; i < d; i++)
            {
                s = MathF.FusedMultiplyAdd(q[i], r[i], s);
            }

            t[k] = s;
        }

        return Vector128.Load(t);
    }

    /// <summary>The horizontal sums of four vectors in one reduction: <c>[Σa, Σb, Σc, Σd]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Reduce4(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        // hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3 | a4+a5, a6+a7, b4+b5, b6+b7]; twice more gives
        // [Σa₀..₃, Σb₀..₃, Σc₀..₃, Σd₀..₃ | Σa₄..₇, …], and the two halves add up.
        var h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a, b), Avx2.HorizontalAdd(c, d));
        return h.GetLower() + h.GetUpper();
    }

    /// <summary>The float form of <see cref="Reduce4(Vector256{int}, Vector256{int}, Vector256{int}, Vector256{int})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        var h = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
        return h.GetLower() + h.GetUpper();
    }

    /// <summary>One term of an exact sum, in scalar and vector form (the same arithmetic, so the same bits).</summary>
    private interface ITerm
    {
        static abstract double Apply(double q, double r);

        static abstract Vector256<double> Apply(Vector256<double> q, Vector256<double> r);

        static abstract Vector512<double> Apply(Vector512<double> q, Vector512<double> r);
    }

    /// <summary><c>q·r</c>: exact in double for float or byte inputs, so fused or not it rounds the same.</summary>
    private readonly struct DotTerm : ITerm
    {
        public static double Apply(double q, double r) => q * r;

        public static Vector256<double> Apply(Vector256<double> q, Vector256<double> r) => q * r;

        public static Vector512<double> Apply(Vector512<double> q, Vector512<double> r) => q * r;
    }

    /// <summary><c>(q − r)²</c>, a subtraction then a multiplication, each rounded once, never fused.</summary>
    private readonly struct SquaredDifferenceTerm : ITerm
    {
        public static double Apply(double q, double r)
        {
            var t = q - r;
            return t * t;
        }

        public static Vector256<double> Apply(Vector256<double> q, Vector256<double> r)
        {
            var t = q - r;
            return t * t;
        }

        public static Vector512<double> Apply(Vector512<double> q, Vector512<double> r)
        {
            var t = q - r;
            return t * t;
        }
    }
}
