using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Vectors;

/// <summary>
/// Exhaustive nearest-centroid search, the assignment step of k-means and of IVF: for every point,
/// the centroid with the smallest squared L2 distance (or the largest inner product) and that
/// distance. Ties go to the lowest centroid number, as in FAISS.
/// </summary>
/// <remarks>
/// <para>L2 uses <c>|x|^2 - 2 x.c + |c|^2</c>, like FAISS's BLAS path: the centroids are packed into
/// panels of 2 vectors' width and a register-blocked micro-kernel (6 points x 32 centroids with
/// AVX-512, 6 x 16 with AVX2) accumulates the dot products with FMA, as a GEMM would, then folds in
/// the norms and keeps a running minimum per lane. Dimensions below 16 (PQ sub-spaces) use
/// <see cref="SmallDimensionKernels"/>, vectorised over points instead.</para>
/// <para>Reported L2 distances are clamped at 0 as FAISS does. An instance may be searched from
/// several threads at once, but <see cref="SetCentroids"/> must not overlap a search.</para>
/// </remarks>
[SkipLocalsInit]
internal sealed unsafe class NearestCentroidSearch
{
    private const int Mr = 6;
    private const int RowChunk = Mr * 8;
    private const int SmallDimension = 16;

    private readonly float[] _centroids;
    private readonly float[] _bias;
    private readonly float[] _packed;
    private readonly int _nr;
    private readonly int _panels;
    private readonly float _alpha;

    /// <summary>Creates a search over <paramref name="count"/> centroids of <paramref name="dimension"/> values.</summary>
    public NearestCentroidSearch(int dimension, int count, VectorMetric metric, SimdLevel level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Dimension = dimension;
        Count = count;
        Metric = metric;
        Level = Simd.Clamp(level);
        _alpha = metric == VectorMetric.L2 ? -2f : -1f;
        _nr = Level switch
        {
            SimdLevel.Vector512 => 2 * Vector512<float>.Count,
            SimdLevel.Vector256 => 2 * Vector256<float>.Count,
            _ => 1,
        };
        _panels = (count + _nr - 1) / _nr;
        _centroids = GC.AllocateUninitializedArray<float>(checked(count * dimension), pinned: true);
        _bias = GC.AllocateUninitializedArray<float>(_panels * _nr, pinned: true);
        _packed = Level == SimdLevel.Scalar
            ? []
            : GC.AllocateUninitializedArray<float>(checked(_panels * _nr * dimension), pinned: true);
    }

    /// <summary>Creates a search over <paramref name="centroids"/> (row-major, <c>count * dimension</c> values).</summary>
    public NearestCentroidSearch(ReadOnlySpan<float> centroids, int dimension, VectorMetric metric, SimdLevel level)
        : this(dimension, centroids.Length / dimension, metric, level)
    {
        SetCentroids(centroids);
    }

    public int Dimension { get; }

    public int Count { get; }

    public VectorMetric Metric { get; }

    public SimdLevel Level { get; }

    /// <summary>The centroids, row-major.</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>Replaces the centroids (same count and dimension) and repacks them.</summary>
    public void SetCentroids(ReadOnlySpan<float> centroids)
    {
        if (centroids.Length != _centroids.Length)
        {
            throw new ArgumentException($"Expected {Count} x {Dimension} = {_centroids.Length} values, got {centroids.Length}.", nameof(centroids));
        }

        centroids.CopyTo(_centroids);
        var d = Dimension;
        fixed (float* c = _centroids)
        {
            for (var j = 0; j < _bias.Length; j++)
            {
                _bias[j] = j >= Count ? float.PositiveInfinity
                    : Metric == VectorMetric.L2 ? DistanceKernels.InnerProduct(c + ((long)j * d), c + ((long)j * d), d, Level) : 0f;
            }
        }

        if (Level == SimdLevel.Scalar)
        {
            return;
        }

        if (d < SmallDimension)
        {
            // Small dimensions: [t][centroid] of alpha * c, one centroid broadcast at a time.
            for (var t = 0; t < d; t++)
            {
                for (var j = 0; j < Count; j++)
                {
                    _packed[(t * Count) + j] = _alpha * centroids[(j * d) + t];
                }
            }

            return;
        }

        // Panel p holds centroids p*nr .. p*nr+nr-1 as [dimension][nr]; padding columns are zero.
        for (var p = 0; p < _panels; p++)
        {
            var panel = _packed.AsSpan(p * _nr * d, _nr * d);
            for (var lane = 0; lane < _nr; lane++)
            {
                var j = (p * _nr) + lane;
                for (var t = 0; t < d; t++)
                {
                    panel[(t * _nr) + lane] = j < Count ? centroids[(j * d) + t] : 0f;
                }
            }
        }
    }

    /// <summary>Searches <paramref name="points"/> on the calling thread.</summary>
    /// <param name="points">Row-major points.</param>
    /// <param name="labels">Output: nearest centroid per point.</param>
    /// <param name="distances">Output: its squared L2 distance (or inner product); may be empty.</param>
    public void Search(ReadOnlySpan<float> points, Span<int> labels, Span<float> distances) =>
        Search(points, labels, distances, 1);

    /// <summary>Searches <paramref name="points"/>, splitting them over up to <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    public void Search(ReadOnlySpan<float> points, Span<int> labels, Span<float> distances, int maxDegreeOfParallelism)
    {
        var d = Dimension;
        if (points.Length % d != 0)
        {
            throw new ArgumentException($"{points.Length} values is not a whole number of {d}-d points.", nameof(points));
        }

        var n = points.Length / d;
        if (labels.Length < n || (distances.Length != 0 && distances.Length < n))
        {
            throw new ArgumentException($"The outputs need {n} entries.");
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = points)
        fixed (int* l = labels)
        fixed (float* o = distances)
        {
            var dop = maxDegreeOfParallelism < 1 ? Environment.ProcessorCount : maxDegreeOfParallelism;
            if (dop == 1 || n < 2 * RowChunk)
            {
                SearchRange(x, n, l, o);
                return;
            }

            // Chunks of whole row blocks, a few per thread so uneven cores still finish together.
            var chunk = Math.Max(RowChunk, ((n / (dop * 4)) + RowChunk - 1) / RowChunk * RowChunk);
            var chunks = (n + chunk - 1) / chunk;
            nint px = (nint)x, pl = (nint)l, po = (nint)o;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = dop }, c =>
            {
                var start = c * chunk;
                var count = Math.Min(chunk, n - start);
                SearchRange(
                    (float*)px + ((long)start * d),
                    count,
                    (int*)pl + start,
                    po == 0 ? null : (float*)po + start);
            });
        }
    }

    private void SearchRange(float* x, int n, int* labels, float* distances)
    {
        fixed (float* bias = _bias)
        fixed (float* packed = _packed)
        fixed (float* centroids = _centroids)
        {
            if (Level == SimdLevel.Scalar)
            {
                for (var i = 0; i < n; i++)
                {
                    SearchScalar(x + ((long)i * Dimension), centroids, bias, out labels[i], out var best);
                    if (distances != null)
                    {
                        distances[i] = Finish(x + ((long)i * Dimension), best);
                    }
                }
            }
            else if (Dimension < SmallDimension)
            {
                SearchSmallRange(x, n, packed, bias, labels, distances);
            }
            else
            {
                for (var r0 = 0; r0 < n; r0 += RowChunk)
                {
                    var rows = Math.Min(RowChunk, n - r0);
                    if (Level == SimdLevel.Vector512)
                    {
                        SearchBlocked512(x + ((long)r0 * Dimension), rows, packed, bias, labels + r0, distances == null ? null : distances + r0);
                    }
                    else
                    {
                        SearchBlocked256(x + ((long)r0 * Dimension), rows, packed, bias, labels + r0, distances == null ? null : distances + r0);
                    }
                }
            }
        }
    }

    private void SearchSmallRange(float* x, int n, float* coef, float* bias, int* labels, float* distances)
    {
        const int B = SmallDimensionKernels.Block;
        var d = Dimension;
        var soa = stackalloc float[d * B];
        var blockLabels = stackalloc int[B];
        var blockValues = stackalloc float[B];
        var norms = stackalloc float[B];
        var l2 = Metric == VectorMetric.L2;
        for (var b0 = 0; b0 < n; b0 += B)
        {
            var count = Math.Min(B, n - b0);
            SmallDimensionKernels.Transpose(x + ((long)b0 * d), count, d, d, soa);
            SmallDimensionKernels.ArgMinAffine(soa, d, coef, bias, Count, blockLabels, blockValues, Level);
            new ReadOnlySpan<int>(blockLabels, count).CopyTo(new Span<int>(labels + b0, count));
            if (distances == null)
            {
                continue;
            }

            if (!l2)
            {
                TensorPrimitives.Negate(new ReadOnlySpan<float>(blockValues, count), new Span<float>(distances + b0, count));
                continue;
            }

            // |x|^2 from the transposed block, one coordinate row at a time, then FAISS's clamp at 0.
            var normSpan = new Span<float>(norms, B);
            normSpan.Clear();
            for (var t = 0; t < d; t++)
            {
                var row = new ReadOnlySpan<float>(soa + (t * B), B);
                TensorPrimitives.FusedMultiplyAdd(row, row, normSpan, normSpan);
            }

            var output = new Span<float>(distances + b0, count);
            TensorPrimitives.Add(normSpan[..count], new ReadOnlySpan<float>(blockValues, count), output);
            TensorPrimitives.Max(output, 0f, output);
        }
    }

    /// <summary>Turns the minimised value (<c>|c|^2 - 2 x.c</c> or <c>-x.c</c>) into FAISS's reported distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Finish(float* x, float best)
    {
        if (Metric != VectorMetric.L2)
        {
            return -best;
        }

        var distance = DistanceKernels.InnerProduct(x, x, Dimension, Level) + best;
        return distance < 0 ? 0 : distance;
    }

    private void SearchScalar(float* x, float* centroids, float* bias, out int label, out float best)
    {
        var d = Dimension;
        best = float.PositiveInfinity;
        label = 0;
        for (var j = 0; j < Count; j++)
        {
            var c = centroids + ((long)j * d);
            var dot = 0f;
            for (var t = 0; t < d; t++)
            {
                dot += x[t] * c[t];
            }

            var value = bias[j] + (_alpha * dot);
            if (value < best)
            {
                best = value;
                label = j;
            }
        }
    }

    private void SearchBlocked512(float* x, int rows, float* packed, float* bias, int* labels, float* distances)
    {
        const int W = 16;
        var d = Dimension;
        var blocks = (rows + Mr - 1) / Mr;
        var bestV = stackalloc float[RowChunk * W];
        var bestI = stackalloc int[RowChunk * W];
        new Span<float>(bestV, RowChunk * W).Fill(float.PositiveInfinity);
        new Span<int>(bestI, RowChunk * W).Clear();
        var alpha = Vector512.Create(_alpha);
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        for (var p = 0; p < _panels; p++)
        {
            var panel = packed + ((long)p * d * 2 * W);
            var index0 = iota + Vector512.Create(p * 2 * W);
            for (var b = 0; b < blocks; b++)
            {
                var r = b * Mr;
                Kernel512(
                    Row(x, r, rows, d), Row(x, r + 1, rows, d), Row(x, r + 2, rows, d),
                    Row(x, r + 3, rows, d), Row(x, r + 4, rows, d), Row(x, r + 5, rows, d),
                    d, panel, bias + (p * 2 * W), alpha, index0, bestV + (r * W), bestI + (r * W));
            }
        }

        for (var r = 0; r < rows; r++)
        {
            var best = ReduceLanes(bestV + (r * W), bestI + (r * W), W, out labels[r]);
            if (distances != null)
            {
                distances[r] = Finish(x + ((long)r * d), best);
            }
        }
    }

    private void SearchBlocked256(float* x, int rows, float* packed, float* bias, int* labels, float* distances)
    {
        const int W = 8;
        var d = Dimension;
        var blocks = (rows + Mr - 1) / Mr;
        var bestV = stackalloc float[RowChunk * W];
        var bestI = stackalloc int[RowChunk * W];
        new Span<float>(bestV, RowChunk * W).Fill(float.PositiveInfinity);
        new Span<int>(bestI, RowChunk * W).Clear();
        var alpha = Vector256.Create(_alpha);
        var iota = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (var p = 0; p < _panels; p++)
        {
            var panel = packed + ((long)p * d * 2 * W);
            var index0 = iota + Vector256.Create(p * 2 * W);
            for (var b = 0; b < blocks; b++)
            {
                var r = b * Mr;
                Kernel256(
                    Row(x, r, rows, d), Row(x, r + 1, rows, d), Row(x, r + 2, rows, d),
                    Row(x, r + 3, rows, d), Row(x, r + 4, rows, d), Row(x, r + 5, rows, d),
                    d, panel, bias + (p * 2 * W), alpha, index0, bestV + (r * W), bestI + (r * W));
            }
        }

        for (var r = 0; r < rows; r++)
        {
            var best = ReduceLanes(bestV + (r * W), bestI + (r * W), W, out labels[r]);
            if (distances != null)
            {
                distances[r] = Finish(x + ((long)r * d), best);
            }
        }
    }

    /// <summary>Row <paramref name="r"/> of the block, or the last real row for padding rows (computed, never reported).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(float* x, int r, int rows, int d) => x + ((long)Math.Min(r, rows - 1) * d);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(
        float* x0, float* x1, float* x2, float* x3, float* x4, float* x5,
        int d, float* panel, float* bias, Vector512<float> alpha, Vector512<int> index0, float* bestV, int* bestI)
    {
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        for (var t = 0; t < d; t++)
        {
            var c0 = Vector512.Load(panel);
            var c1 = Vector512.Load(panel + 16);
            panel += 32;
            var b = Vector512.Create(x0[t]);
            a00 = Vector512.FusedMultiplyAdd(b, c0, a00);
            a01 = Vector512.FusedMultiplyAdd(b, c1, a01);
            b = Vector512.Create(x1[t]);
            a10 = Vector512.FusedMultiplyAdd(b, c0, a10);
            a11 = Vector512.FusedMultiplyAdd(b, c1, a11);
            b = Vector512.Create(x2[t]);
            a20 = Vector512.FusedMultiplyAdd(b, c0, a20);
            a21 = Vector512.FusedMultiplyAdd(b, c1, a21);
            b = Vector512.Create(x3[t]);
            a30 = Vector512.FusedMultiplyAdd(b, c0, a30);
            a31 = Vector512.FusedMultiplyAdd(b, c1, a31);
            b = Vector512.Create(x4[t]);
            a40 = Vector512.FusedMultiplyAdd(b, c0, a40);
            a41 = Vector512.FusedMultiplyAdd(b, c1, a41);
            b = Vector512.Create(x5[t]);
            a50 = Vector512.FusedMultiplyAdd(b, c0, a50);
            a51 = Vector512.FusedMultiplyAdd(b, c1, a51);
        }

        var bias0 = Vector512.Load(bias);
        var bias1 = Vector512.Load(bias + 16);
        var index1 = index0 + Vector512.Create(16);
        Update512(a00, a01, bias0, bias1, alpha, index0, index1, bestV, bestI);
        Update512(a10, a11, bias0, bias1, alpha, index0, index1, bestV + 16, bestI + 16);
        Update512(a20, a21, bias0, bias1, alpha, index0, index1, bestV + 32, bestI + 32);
        Update512(a30, a31, bias0, bias1, alpha, index0, index1, bestV + 48, bestI + 48);
        Update512(a40, a41, bias0, bias1, alpha, index0, index1, bestV + 64, bestI + 64);
        Update512(a50, a51, bias0, bias1, alpha, index0, index1, bestV + 80, bestI + 80);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update512(
        Vector512<float> dot0, Vector512<float> dot1, Vector512<float> bias0, Vector512<float> bias1, Vector512<float> alpha,
        Vector512<int> index0, Vector512<int> index1, float* bestV, int* bestI)
    {
        var v0 = Vector512.FusedMultiplyAdd(alpha, dot0, bias0);
        var v1 = Vector512.FusedMultiplyAdd(alpha, dot1, bias1);
        var bv = Vector512.Load(bestV);
        var bi = Vector512.Load(bestI);
        var m = Vector512.LessThan(v0, bv);
        bv = Vector512.ConditionalSelect(m, v0, bv);
        bi = Vector512.ConditionalSelect(m.AsInt32(), index0, bi);
        m = Vector512.LessThan(v1, bv);
        bv = Vector512.ConditionalSelect(m, v1, bv);
        bi = Vector512.ConditionalSelect(m.AsInt32(), index1, bi);
        Vector512.Store(bv, bestV);
        Vector512.Store(bi, bestI);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256(
        float* x0, float* x1, float* x2, float* x3, float* x4, float* x5,
        int d, float* panel, float* bias, Vector256<float> alpha, Vector256<int> index0, float* bestV, int* bestI)
    {
        Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector256<float> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        for (var t = 0; t < d; t++)
        {
            var c0 = Vector256.Load(panel);
            var c1 = Vector256.Load(panel + 8);
            panel += 16;
            var b = Vector256.Create(x0[t]);
            a00 = Fma.MultiplyAdd(b, c0, a00);
            a01 = Fma.MultiplyAdd(b, c1, a01);
            b = Vector256.Create(x1[t]);
            a10 = Fma.MultiplyAdd(b, c0, a10);
            a11 = Fma.MultiplyAdd(b, c1, a11);
            b = Vector256.Create(x2[t]);
            a20 = Fma.MultiplyAdd(b, c0, a20);
            a21 = Fma.MultiplyAdd(b, c1, a21);
            b = Vector256.Create(x3[t]);
            a30 = Fma.MultiplyAdd(b, c0, a30);
            a31 = Fma.MultiplyAdd(b, c1, a31);
            b = Vector256.Create(x4[t]);
            a40 = Fma.MultiplyAdd(b, c0, a40);
            a41 = Fma.MultiplyAdd(b, c1, a41);
            b = Vector256.Create(x5[t]);
            a50 = Fma.MultiplyAdd(b, c0, a50);
            a51 = Fma.MultiplyAdd(b, c1, a51);
        }

        var bias0 = Vector256.Load(bias);
        var bias1 = Vector256.Load(bias + 8);
        var index1 = index0 + Vector256.Create(8);
        Update256(a00, a01, bias0, bias1, alpha, index0, index1, bestV, bestI);
        Update256(a10, a11, bias0, bias1, alpha, index0, index1, bestV + 8, bestI + 8);
        Update256(a20, a21, bias0, bias1, alpha, index0, index1, bestV + 16, bestI + 16);
        Update256(a30, a31, bias0, bias1, alpha, index0, index1, bestV + 24, bestI + 24);
        Update256(a40, a41, bias0, bias1, alpha, index0, index1, bestV + 32, bestI + 32);
        Update256(a50, a51, bias0, bias1, alpha, index0, index1, bestV + 40, bestI + 40);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update256(
        Vector256<float> dot0, Vector256<float> dot1, Vector256<float> bias0, Vector256<float> bias1, Vector256<float> alpha,
        Vector256<int> index0, Vector256<int> index1, float* bestV, int* bestI)
    {
        var v0 = Fma.MultiplyAdd(alpha, dot0, bias0);
        var v1 = Fma.MultiplyAdd(alpha, dot1, bias1);
        var bv = Vector256.Load(bestV);
        var bi = Vector256.Load(bestI);
        var m = Vector256.LessThan(v0, bv);
        bv = Vector256.ConditionalSelect(m, v0, bv);
        bi = Vector256.ConditionalSelect(m.AsInt32(), index0, bi);
        m = Vector256.LessThan(v1, bv);
        bv = Vector256.ConditionalSelect(m, v1, bv);
        bi = Vector256.ConditionalSelect(m.AsInt32(), index1, bi);
        Vector256.Store(bv, bestV);
        Vector256.Store(bi, bestI);
    }

    /// <summary>The smallest of <paramref name="width"/> lanes; on equal values the lowest centroid number.</summary>
    private static float ReduceLanes(float* values, int* indices, int width, out int label)
    {
        var best = values[0];
        label = indices[0];
        for (var lane = 1; lane < width; lane++)
        {
            var v = values[lane];
            if (v < best || (v == best && indices[lane] < label))
            {
                best = v;
                label = indices[lane];
            }
        }

        return best;
    }
}
