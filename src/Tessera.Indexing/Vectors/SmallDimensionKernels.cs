using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Vectors;

/// <summary>
/// Nearest-centroid kernels for low-dimensional points (PQ sub-spaces: 2, 4, 8 values), vectorised
/// over points rather than centroids: a block of 64 points is transposed so each vector register
/// holds one coordinate of 16 (or 8) points, and every centroid is broadcast against them. The
/// running minimum and its centroid number stay in registers (four independent chains), so there
/// are no stores, horizontal reductions or rescans per point. Ties keep the lowest centroid number.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SmallDimensionKernels
{
    /// <summary>Points per block.</summary>
    public const int Block = 64;

    /// <summary>Copies up to 64 points of <paramref name="d"/> values (rows <paramref name="stride"/> floats apart) into <c>soa[t * 64 + i]</c>, zero-padded.</summary>
    public static void Transpose(float* x, int count, int d, int stride, float* soa)
    {
        for (var i = 0; i < count; i++)
        {
            var row = x + ((long)i * stride);
            for (var t = 0; t < d; t++)
            {
                soa[(t * Block) + i] = row[t];
            }
        }

        for (var i = count; i < Block; i++)
        {
            for (var t = 0; t < d; t++)
            {
                soa[(t * Block) + i] = 0;
            }
        }
    }

    /// <summary>
    /// For each of the 64 points, the centroid <c>j</c> minimising <c>bias[j] + sum_t coef[t * k + j] * x[t]</c>
    /// (with <c>coef = -2 c</c> and <c>bias = |c|^2</c>, the L2 distance less <c>|x|^2</c>) and that value.
    /// </summary>
    public static void ArgMinAffine(float* soa, int d, float* coef, float* bias, int k, int* labels, float* values, SimdLevel level)
    {
        if (level == SimdLevel.Vector512)
        {
            ArgMinAffine512(soa, d, coef, bias, k, labels, values);
        }
        else if (level == SimdLevel.Vector256)
        {
            for (var half = 0; half < Block; half += 32)
            {
                ArgMinAffine256(soa + half, d, coef, bias, k, labels + half, values + half);
            }
        }
        else
        {
            for (var i = 0; i < Block; i++)
            {
                var best = float.PositiveInfinity;
                var label = 0;
                for (var j = 0; j < k; j++)
                {
                    var v = bias[j];
                    for (var t = 0; t < d; t++)
                    {
                        v += coef[(t * k) + j] * soa[(t * Block) + i];
                    }

                    if (v < best)
                    {
                        best = v;
                        label = j;
                    }
                }

                labels[i] = label;
                values[i] = best;
            }
        }
    }

    /// <summary>
    /// For each of the 64 points, the centroid minimising <c>sum_t (x[t] - c[t])^2</c>, computed as
    /// FAISS's generic build does (rounded squares summed in order, no FMA), so the result equals
    /// FAISS's own choice; <paramref name="centroids"/> is transposed, <c>[t * stride + j]</c>.
    /// </summary>
    public static void ArgMinSquaredL2Exact(float* soa, int d, float* centroids, int k, int stride, int* labels, SimdLevel level)
    {
        if (level == SimdLevel.Vector512)
        {
            ArgMinExact512(soa, d, centroids, k, stride, labels);
        }
        else if (level == SimdLevel.Vector256)
        {
            for (var half = 0; half < Block; half += 32)
            {
                ArgMinExact256(soa + half, d, centroids, k, stride, labels + half);
            }
        }
        else
        {
            for (var i = 0; i < Block; i++)
            {
                var best = float.PositiveInfinity;
                var label = 0;
                for (var j = 0; j < k; j++)
                {
                    var acc = 0f;
                    for (var t = 0; t < d; t++)
                    {
                        var diff = soa[(t * Block) + i] - centroids[(t * stride) + j];
                        acc += diff * diff;
                    }

                    if (acc < best)
                    {
                        best = acc;
                        label = j;
                    }
                }

                labels[i] = label;
            }
        }
    }

    private static void ArgMinAffine512(float* soa, int d, float* coef, float* bias, int k, int* labels, float* values)
    {
        var b0 = Vector512.Create(float.PositiveInfinity);
        Vector512<float> b1 = b0, b2 = b0, b3 = b0;
        Vector512<int> i0 = default, i1 = default, i2 = default, i3 = default;
        if (d == 2)
        {
            var x00 = Vector512.Load(soa);
            var x01 = Vector512.Load(soa + 16);
            var x02 = Vector512.Load(soa + 32);
            var x03 = Vector512.Load(soa + 48);
            var x10 = Vector512.Load(soa + 64);
            var x11 = Vector512.Load(soa + 80);
            var x12 = Vector512.Load(soa + 96);
            var x13 = Vector512.Load(soa + 112);
            var coef1 = coef + k;
            for (var j = 0; j < k; j++)
            {
                var c0 = Vector512.Create(coef[j]);
                var c1 = Vector512.Create(coef1[j]);
                var bj = Vector512.Create(bias[j]);
                var jv = Vector512.Create(j);
                var v0 = Vector512.FusedMultiplyAdd(x10, c1, Vector512.FusedMultiplyAdd(x00, c0, bj));
                var v1 = Vector512.FusedMultiplyAdd(x11, c1, Vector512.FusedMultiplyAdd(x01, c0, bj));
                var v2 = Vector512.FusedMultiplyAdd(x12, c1, Vector512.FusedMultiplyAdd(x02, c0, bj));
                var v3 = Vector512.FusedMultiplyAdd(x13, c1, Vector512.FusedMultiplyAdd(x03, c0, bj));
                Keep512(v0, jv, ref b0, ref i0);
                Keep512(v1, jv, ref b1, ref i1);
                Keep512(v2, jv, ref b2, ref i2);
                Keep512(v3, jv, ref b3, ref i3);
            }
        }
        else
        {
            for (var j = 0; j < k; j++)
            {
                var bj = Vector512.Create(bias[j]);
                Vector512<float> v0 = bj, v1 = bj, v2 = bj, v3 = bj;
                for (var t = 0; t < d; t++)
                {
                    var c = Vector512.Create(coef[(t * k) + j]);
                    var row = soa + (t * Block);
                    v0 = Vector512.FusedMultiplyAdd(Vector512.Load(row), c, v0);
                    v1 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 16), c, v1);
                    v2 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 32), c, v2);
                    v3 = Vector512.FusedMultiplyAdd(Vector512.Load(row + 48), c, v3);
                }

                var jv = Vector512.Create(j);
                Keep512(v0, jv, ref b0, ref i0);
                Keep512(v1, jv, ref b1, ref i1);
                Keep512(v2, jv, ref b2, ref i2);
                Keep512(v3, jv, ref b3, ref i3);
            }
        }

        Vector512.Store(b0, values);
        Vector512.Store(b1, values + 16);
        Vector512.Store(b2, values + 32);
        Vector512.Store(b3, values + 48);
        Vector512.Store(i0, labels);
        Vector512.Store(i1, labels + 16);
        Vector512.Store(i2, labels + 32);
        Vector512.Store(i3, labels + 48);
    }

    private static void ArgMinAffine256(float* soa, int d, float* coef, float* bias, int k, int* labels, float* values)
    {
        var b0 = Vector256.Create(float.PositiveInfinity);
        Vector256<float> b1 = b0, b2 = b0, b3 = b0;
        Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
        for (var j = 0; j < k; j++)
        {
            var bj = Vector256.Create(bias[j]);
            Vector256<float> v0 = bj, v1 = bj, v2 = bj, v3 = bj;
            for (var t = 0; t < d; t++)
            {
                var c = Vector256.Create(coef[(t * k) + j]);
                var row = soa + (t * Block);
                v0 = Fma.MultiplyAdd(Vector256.Load(row), c, v0);
                v1 = Fma.MultiplyAdd(Vector256.Load(row + 8), c, v1);
                v2 = Fma.MultiplyAdd(Vector256.Load(row + 16), c, v2);
                v3 = Fma.MultiplyAdd(Vector256.Load(row + 24), c, v3);
            }

            var jv = Vector256.Create(j);
            Keep256(v0, jv, ref b0, ref i0);
            Keep256(v1, jv, ref b1, ref i1);
            Keep256(v2, jv, ref b2, ref i2);
            Keep256(v3, jv, ref b3, ref i3);
        }

        Vector256.Store(b0, values);
        Vector256.Store(b1, values + 8);
        Vector256.Store(b2, values + 16);
        Vector256.Store(b3, values + 24);
        Vector256.Store(i0, labels);
        Vector256.Store(i1, labels + 8);
        Vector256.Store(i2, labels + 16);
        Vector256.Store(i3, labels + 24);
    }

    private static void ArgMinExact512(float* soa, int d, float* centroids, int k, int stride, int* labels)
    {
        var b0 = Vector512.Create(float.PositiveInfinity);
        Vector512<float> b1 = b0, b2 = b0, b3 = b0;
        Vector512<int> i0 = default, i1 = default, i2 = default, i3 = default;
        if (d == 2)
        {
            var x00 = Vector512.Load(soa);
            var x01 = Vector512.Load(soa + 16);
            var x02 = Vector512.Load(soa + 32);
            var x03 = Vector512.Load(soa + 48);
            var x10 = Vector512.Load(soa + 64);
            var x11 = Vector512.Load(soa + 80);
            var x12 = Vector512.Load(soa + 96);
            var x13 = Vector512.Load(soa + 112);
            var row1 = centroids + stride;
            for (var j = 0; j < k; j++)
            {
                var c0 = Vector512.Create(centroids[j]);
                var c1 = Vector512.Create(row1[j]);
                var jv = Vector512.Create(j);
                Keep512(Square(x00 - c0) + Square(x10 - c1), jv, ref b0, ref i0);
                Keep512(Square(x01 - c0) + Square(x11 - c1), jv, ref b1, ref i1);
                Keep512(Square(x02 - c0) + Square(x12 - c1), jv, ref b2, ref i2);
                Keep512(Square(x03 - c0) + Square(x13 - c1), jv, ref b3, ref i3);
            }
        }
        else
        {
            for (var j = 0; j < k; j++)
            {
                var c = Vector512.Create(centroids[j]);
                var v0 = Square(Vector512.Load(soa) - c);
                var v1 = Square(Vector512.Load(soa + 16) - c);
                var v2 = Square(Vector512.Load(soa + 32) - c);
                var v3 = Square(Vector512.Load(soa + 48) - c);
                for (var t = 1; t < d; t++)
                {
                    c = Vector512.Create(centroids[(t * stride) + j]);
                    var row = soa + (t * Block);
                    v0 += Square(Vector512.Load(row) - c);
                    v1 += Square(Vector512.Load(row + 16) - c);
                    v2 += Square(Vector512.Load(row + 32) - c);
                    v3 += Square(Vector512.Load(row + 48) - c);
                }

                var jv = Vector512.Create(j);
                Keep512(v0, jv, ref b0, ref i0);
                Keep512(v1, jv, ref b1, ref i1);
                Keep512(v2, jv, ref b2, ref i2);
                Keep512(v3, jv, ref b3, ref i3);
            }
        }

        Vector512.Store(i0, labels);
        Vector512.Store(i1, labels + 16);
        Vector512.Store(i2, labels + 32);
        Vector512.Store(i3, labels + 48);
    }

    private static void ArgMinExact256(float* soa, int d, float* centroids, int k, int stride, int* labels)
    {
        var b0 = Vector256.Create(float.PositiveInfinity);
        Vector256<float> b1 = b0, b2 = b0, b3 = b0;
        Vector256<int> i0 = default, i1 = default, i2 = default, i3 = default;
        for (var j = 0; j < k; j++)
        {
            var c = Vector256.Create(centroids[j]);
            var v0 = Square(Vector256.Load(soa) - c);
            var v1 = Square(Vector256.Load(soa + 8) - c);
            var v2 = Square(Vector256.Load(soa + 16) - c);
            var v3 = Square(Vector256.Load(soa + 24) - c);
            for (var t = 1; t < d; t++)
            {
                c = Vector256.Create(centroids[(t * stride) + j]);
                var row = soa + (t * Block);
                v0 += Square(Vector256.Load(row) - c);
                v1 += Square(Vector256.Load(row + 8) - c);
                v2 += Square(Vector256.Load(row + 16) - c);
                v3 += Square(Vector256.Load(row + 24) - c);
            }

            var jv = Vector256.Create(j);
            Keep256(v0, jv, ref b0, ref i0);
            Keep256(v1, jv, ref b1, ref i1);
            Keep256(v2, jv, ref b2, ref i2);
            Keep256(v3, jv, ref b3, ref i3);
        }

        Vector256.Store(i0, labels);
        Vector256.Store(i1, labels + 8);
        Vector256.Store(i2, labels + 16);
        Vector256.Store(i3, labels + 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Square(Vector512<float> v) => v * v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Square(Vector256<float> v) => v * v;

    /// <summary>Where <paramref name="value"/> is strictly smaller, take it and centroid <paramref name="label"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep512(Vector512<float> value, Vector512<int> label, ref Vector512<float> best, ref Vector512<int> bestLabel)
    {
        var smaller = Vector512.LessThan(value, best);
        best = Avx512F.Min(value, best);
        bestLabel = Vector512.ConditionalSelect(smaller.AsInt32(), label, bestLabel);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep256(Vector256<float> value, Vector256<int> label, ref Vector256<float> best, ref Vector256<int> bestLabel)
    {
        var smaller = Vector256.LessThan(value, best);
        best = Avx.Min(value, best);
        bestLabel = Vector256.ConditionalSelect(smaller.AsInt32(), label, bestLabel);
    }
}
