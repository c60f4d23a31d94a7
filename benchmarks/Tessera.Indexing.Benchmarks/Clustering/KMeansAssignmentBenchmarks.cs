using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Benchmarks.Reporting;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Clustering;

/// <summary>
/// The k-means assignment step: every point to its nearest centroid. "Coarse" is one iteration of
/// the IVF1024 coarse quantizer's k-means on 128-d vectors (a GEMM-like, compute-bound workload,
/// 2*n*k*d FLOP); "PqSubspace" is one iteration of a PQ64 sub-space k-means (2-d, 256 centroids).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class KMeansAssignmentBenchmarks : IReportsThroughput
{
    private float[] _points = [];
    private float[] _centroids = [];
    private int[] _labels = [];
    private float[] _distances = [];
    private NearestCentroidSearch _search = null!;

    /// <summary>Coarse: 128-d, 1024 centroids, 6*512+7 points. PqSubspace: 2-d, 256 centroids, 65,536 points.</summary>
    [Params("Coarse", "PqSubspace")]
    public string Shape { get; set; } = "Coarse";

    private int D => Shape == "Coarse" ? 128 : 2;

    private int K => Shape == "Coarse" ? 1024 : 256;

    private int N => Shape == "Coarse" ? (6 * 512) + 7 : 65_536;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _points = Enumerable.Range(0, N * D).Select(_ => (float)random.NextDouble()).ToArray();
        _centroids = Enumerable.Range(0, K * D).Select(_ => (float)random.NextDouble()).ToArray();
        _labels = new int[N];
        _distances = new float[N];
        _search = new NearestCentroidSearch(_centroids, D, VectorMetric.L2, Simd.Best);
    }

    /// <summary>The naive version: scalar squared L2 to every centroid, keep the smallest.</summary>
    [Benchmark(Baseline = true)]
    public int NaiveScalar()
    {
        var d = D;
        for (var i = 0; i < N; i++)
        {
            var best = float.PositiveInfinity;
            var label = 0;
            for (var j = 0; j < K; j++)
            {
                var sum = 0f;
                for (var t = 0; t < d; t++)
                {
                    var diff = _points[(i * d) + t] - _centroids[(j * d) + t];
                    sum += diff * diff;
                }

                if (sum < best)
                {
                    best = sum;
                    label = j;
                }
            }

            _labels[i] = label;
            _distances[i] = best;
        }

        return _labels[N - 1];
    }

    /// <summary>The blocked SIMD kernel on one thread.</summary>
    [Benchmark]
    public int Simd1Thread()
    {
        _search.Search(_points, _labels, _distances, 1);
        return _labels[N - 1];
    }

    /// <summary>The blocked SIMD kernel on every core.</summary>
    [Benchmark]
    public int SimdAllCores()
    {
        _search.Search(_points, _labels, _distances, -1);
        return _labels[N - 1];
    }

    public Throughput Work(string method)
    {
        var threads = method == nameof(SimdAllCores) ? Environment.ProcessorCount : 1;
        return new Throughput(2.0 * N * K * D, "FLOP", Machine.PeakFlops(threads));
    }
}
