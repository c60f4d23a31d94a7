using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Clustering;

/// <summary>
/// k-means clustering that follows FAISS 1.7.3's <c>faiss::Clustering::train</c> step by step, with
/// managed SIMD kernels for the assignment step.
/// </summary>
/// <remarks>
/// <para>Same as FAISS: above <c>k * MaxPointsPerCentroid</c> points a subset is drawn with FAISS's
/// seeded permutation (<c>rand_perm(n, seed)</c>, a Mersenne Twister); the initial centroids are the
/// points at the first <c>k</c> positions of <c>rand_perm(n, seed + 1)</c>; each iteration assigns
/// every point to its nearest centroid, sums the distances into the objective, recomputes each
/// centroid as the mean of its points (summed in point order, as FAISS does), and re-seeds every
/// empty cluster by splitting a large one chosen at random (a generator seeded 1234 each
/// iteration, probability proportional to size) with the symmetric perturbation
/// <c>1 ± 1/1024</c>. With the same inputs, centroids differ from FAISS's only where float rounding
/// of the distance computation (FMA here, BLAS there) changes an assignment.</para>
/// <para>The assignment and update steps run on up to <see cref="KMeansOptions.MaxDegreeOfParallelism"/>
/// threads; the result does not depend on the thread count.</para>
/// </remarks>
public static class KMeans
{
    /// <summary>FAISS's <c>EPS</c> for splitting clusters: "a bit above machine epsilon for float16".</summary>
    private const double SplitEpsilon = 1 / 1024.0;

    /// <summary>Clusters <paramref name="points"/> into <paramref name="k"/> centroids.</summary>
    /// <param name="points">Row-major points, <c>n * dimension</c> floats; all finite.</param>
    /// <param name="dimension">Point dimension.</param>
    /// <param name="k">Number of centroids; at most the number of points.</param>
    /// <param name="options">Settings; <see langword="null"/> uses FAISS's defaults.</param>
    /// <param name="progress">Receives each iteration's statistics.</param>
    /// <param name="logger">Receives the too-few-points warning and per-iteration debug lines.</param>
    /// <param name="cancellationToken">Checked before every iteration.</param>
    /// <returns>The centroids and the iteration statistics.</returns>
    /// <exception cref="ArgumentException">Fewer points than centroids, a partial row, or NaN/infinite values.</exception>
    public static KMeansResult Train(
        ReadOnlySpan<float> points,
        int dimension,
        int k,
        KMeansOptions? options = null,
        IProgress<KMeansIterationStats>? progress = null,
        ILogger? logger = null,
        CancellationToken cancellationToken = default) =>
        Train(points, dimension, k, options ?? new KMeansOptions(), progress, logger, Simd.Best, cancellationToken);

    internal static KMeansResult Train(
        ReadOnlySpan<float> points,
        int dimension,
        int k,
        KMeansOptions options,
        IProgress<KMeansIterationStats>? progress,
        ILogger? logger,
        SimdLevel level,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        logger ??= NullLogger.Instance;
        var d = dimension;
        if (points.Length % d != 0)
        {
            throw new ArgumentException($"{points.Length} values is not a whole number of {d}-d points.", nameof(points));
        }

        var n = points.Length / d;
        if (n < k)
        {
            throw new ArgumentException($"Number of training points ({n}) should be at least as large as number of clusters ({k}).", nameof(points));
        }

        if (!TensorPrimitives.IsFiniteAll(points))
        {
            throw new ArgumentException("The training points contain NaN or infinite values.", nameof(points));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        var x = points;
        var nx = n;
        if ((long)n > (long)k * options.MaxPointsPerCentroid)
        {
            nx = k * options.MaxPointsPerCentroid;
            var subset = GC.AllocateUninitializedArray<float>(checked(nx * d));
            var perm = FaissRandomGenerator.Permutation(n, options.Seed);
            for (var i = 0; i < nx; i++)
            {
                points.Slice(perm[i] * d, d).CopyTo(subset.AsSpan(i * d, d));
            }

            x = subset;
            logger.LogDebug("Sampled {Sampled} of {Points} points for {K} centroids", nx, n, k);
        }
        else if ((long)n < (long)k * options.MinPointsPerCentroid)
        {
            logger.LogWarning(
                "Clustering {Points} points to {K} centroids: please provide at least {Wanted} training points",
                n, k, (long)k * options.MinPointsPerCentroid);
        }

        if (nx == k)
        {
            // FAISS's corner case: the (first k) training points are the centroids.
            var copy = points[..(k * d)].ToArray();
            return new KMeansResult(copy, d, k, nx, [new KMeansIterationStats(0, 0, 1, 0, watch.Elapsed)]);
        }

        var centroids = new float[k * d];
        var init = FaissRandomGenerator.Permutation(nx, options.Seed + 1);
        for (var i = 0; i < k; i++)
        {
            x.Slice(init[i] * d, d).CopyTo(centroids.AsSpan(i * d, d));
        }

        PostProcess(centroids, d, options);

        var dop = options.ResolveDegreeOfParallelism();
        var search = new NearestCentroidSearch(centroids, d, options.Metric, level);
        var assign = new int[nx];
        var distances = new float[nx];
        var counts = new float[k];
        var stats = new KMeansIterationStats[options.Iterations];
        for (var iteration = 0; iteration < options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            search.Search(x, assign, distances, dop);
            var objective = 0f;
            for (var i = 0; i < nx; i++)
            {
                objective += distances[i];
            }

            ComputeCentroids(x, d, k, assign, counts, centroids, dop);
            var splits = SplitClusters(d, k, nx, counts, centroids);
            PostProcess(centroids, d, options);
            stats[iteration] = new KMeansIterationStats(iteration, objective, ImbalanceFactor(k, assign), splits, watch.Elapsed);
            logger.LogDebug(
                "k-means {K}x{D} iteration {Iteration}: objective {Objective:G6}, imbalance {Imbalance:F3}, {Splits} splits",
                k, d, iteration, objective, stats[iteration].ImbalanceFactor, splits);
            progress?.Report(stats[iteration]);
            search.SetCentroids(centroids);
        }

        return new KMeansResult(centroids, d, k, nx, stats);
    }

    /// <summary>
    /// FAISS's <c>compute_centroids</c>: each centroid becomes the mean of its points, summed in point
    /// order. Threads own disjoint centroid ranges and scan every point, so the sums do not depend on
    /// the thread count.
    /// </summary>
    internal static unsafe void ComputeCentroids(ReadOnlySpan<float> x, int d, int k, int[] assign, float[] counts, float[] centroids, int dop)
    {
        Array.Clear(centroids);
        Array.Clear(counts);
        var n = assign.Length;
        var threads = Math.Max(1, Math.Min(dop, k));
        fixed (float* px = x)
        {
            var xp = (nint)px;
            if (threads == 1 || (long)n * d < 1 << 16)
            {
                Accumulate(xp, d, n, 0, k, assign, counts, centroids);
            }
            else
            {
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, rank =>
                    Accumulate(xp, d, n, (int)((long)k * rank / threads), (int)((long)k * (rank + 1) / threads), assign, counts, centroids));
            }
        }

        for (var c = 0; c < k; c++)
        {
            if (counts[c] == 0)
            {
                continue;
            }

            var norm = 1 / counts[c];
            TensorPrimitives.Multiply(centroids.AsSpan(c * d, d), norm, centroids.AsSpan(c * d, d));
        }
    }

    private static unsafe void Accumulate(nint x, int d, int n, int c0, int c1, int[] assign, float[] counts, float[] centroids)
    {
        var points = (float*)x;
        fixed (float* sums = centroids)
        fixed (float* hist = counts)
        fixed (int* labels = assign)
        {
            for (var i = 0; i < n; i++)
            {
                var c = labels[i];
                if (c < c0 || c >= c1)
                {
                    continue;
                }

                hist[c] += 1f;
                var row = points + ((long)i * d);
                var sum = sums + ((long)c * d);
                if (d >= 16)
                {
                    TensorPrimitives.Add(new ReadOnlySpan<float>(sum, d), new ReadOnlySpan<float>(row, d), new Span<float>(sum, d));
                }
                else
                {
                    for (var j = 0; j < d; j++)
                    {
                        sum[j] += row[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// FAISS's <c>split_clusters</c>: every empty cluster takes a copy of a large cluster chosen with
    /// probability <c>(size - 1) / (n - k)</c>, and the two are pushed apart by <c>1 ± 1/1024</c> on
    /// alternating coordinates.
    /// </summary>
    /// <returns>The number of splits.</returns>
    internal static int SplitClusters(int d, int k, int n, float[] counts, float[] centroids)
    {
        var splits = 0;
        var rng = new FaissRandomGenerator(1234);
        for (var ci = 0; ci < k; ci++)
        {
            if (counts[ci] != 0)
            {
                continue;
            }

            int cj;
            for (cj = 0; ; cj = (cj + 1) % k)
            {
                var p = (float)((counts[cj] - 1.0) / (float)(n - k));
                var r = rng.NextFloat();
                if (r < p)
                {
                    break;
                }
            }

            centroids.AsSpan(cj * d, d).CopyTo(centroids.AsSpan(ci * d, d));
            for (var j = 0; j < d; j++)
            {
                if (j % 2 == 0)
                {
                    centroids[(ci * d) + j] = (float)(centroids[(ci * d) + j] * (1 + SplitEpsilon));
                    centroids[(cj * d) + j] = (float)(centroids[(cj * d) + j] * (1 - SplitEpsilon));
                }
                else
                {
                    centroids[(ci * d) + j] = (float)(centroids[(ci * d) + j] * (1 - SplitEpsilon));
                    centroids[(cj * d) + j] = (float)(centroids[(cj * d) + j] * (1 + SplitEpsilon));
                }
            }

            counts[ci] = counts[cj] / 2;
            counts[cj] -= counts[ci];
            splits++;
        }

        return splits;
    }

    /// <summary>FAISS's <c>post_process_centroids</c>: unit norm for spherical k-means.</summary>
    private static void PostProcess(float[] centroids, int d, KMeansOptions options)
    {
        if (!options.Spherical)
        {
            return;
        }

        for (var c = 0; c < centroids.Length; c += d)
        {
            var row = centroids.AsSpan(c, d);
            var norm = TensorPrimitives.Dot(row, row);
            if (norm > 0)
            {
                TensorPrimitives.Multiply(row, (float)(1.0 / MathF.Sqrt(norm)), row);
            }
        }
    }

    private static double ImbalanceFactor(int k, int[] assign)
    {
        var histogram = new int[k];
        foreach (var a in assign)
        {
            histogram[a]++;
        }

        double total = 0, sumSquares = 0;
        foreach (var h in histogram)
        {
            total += h;
            sumSquares += h * (double)h;
        }

        return sumSquares * k / (total * total);
    }
}
