using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Benchmarks.Reporting;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Vectors;

/// <summary>
/// One 128-d query against many rows (the threshold scan over all embeddings): squared L2 and inner
/// product, rows as uint8 (x 1/255) or float32. The rows (64 MiB) exceed the caches, so these are
/// memory-bound: the throughput column is bytes of rows read per second, against ~40 GB/s.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class DistanceScanBenchmarks : IReportsThroughput
{
    private const int D = 128;
    private const float Scale = 1f / 255;
    private float[] _query = [];
    private byte[] _byteRows = [];
    private float[] _floatRows = [];
    private float[] _results = [];

    /// <summary>Row type: uint8 (524,288 + 7 rows) or float32 (131,072 + 7 rows); 64 MiB either way.</summary>
    [Params("uint8", "float32")]
    public string Rows { get; set; } = "uint8";

    /// <summary>Metric: squared L2 or inner product.</summary>
    [Params("L2", "IP")]
    public string Metric { get; set; } = "L2";

    private int N => Rows == "uint8" ? (1 << 19) + 7 : (1 << 17) + 7;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _query = Enumerable.Range(0, D).Select(_ => (float)random.NextDouble()).ToArray();
        if (Rows == "uint8")
        {
            _byteRows = new byte[N * D];
            random.NextBytes(_byteRows);
        }
        else
        {
            _floatRows = new float[N * D];
            for (var i = 0; i < _floatRows.Length; i++)
            {
                _floatRows[i] = (float)random.NextDouble();
            }
        }

        _results = new float[N];
    }

    /// <summary>The naive version: one scalar loop per row.</summary>
    [Benchmark(Baseline = true)]
    public float NaiveScalar()
    {
        var l2 = Metric == "L2";
        for (var i = 0; i < N; i++)
        {
            var sum = 0f;
            for (var t = 0; t < D; t++)
            {
                var value = Rows == "uint8" ? _byteRows[(i * D) + t] * Scale : _floatRows[(i * D) + t];
                if (l2)
                {
                    var diff = _query[t] - value;
                    sum += diff * diff;
                }
                else
                {
                    sum += _query[t] * value;
                }
            }

            _results[i] = sum;
        }

        return _results[^1];
    }

    /// <summary>The span-based SIMD kernels of <see cref="DistanceKernels"/>.</summary>
    [Benchmark]
    public float Simd()
    {
        if (Rows == "uint8")
        {
            if (Metric == "L2")
            {
                DistanceKernels.SquaredL2(_query, _byteRows, Scale, _results);
            }
            else
            {
                DistanceKernels.InnerProduct(_query, _byteRows, Scale, _results);
            }
        }
        else if (Metric == "L2")
        {
            DistanceKernels.SquaredL2(_query, _floatRows, _results);
        }
        else
        {
            DistanceKernels.InnerProduct(_query, _floatRows, _results);
        }

        return _results[^1];
    }

    /// <summary>The same kernels over row ranges on every core (how a full-mosaic threshold scan would run).</summary>
    [Benchmark]
    public float SimdAllCores()
    {
        const int chunk = 8192;
        var chunks = (N + chunk - 1) / chunk;
        Parallel.For(0, chunks, c =>
        {
            var start = c * chunk;
            var count = Math.Min(chunk, N - start);
            var results = _results.AsSpan(start, count);
            if (Rows == "uint8")
            {
                var rows = _byteRows.AsSpan(start * D, count * D);
                if (Metric == "L2")
                {
                    DistanceKernels.SquaredL2(_query, rows, Scale, results);
                }
                else
                {
                    DistanceKernels.InnerProduct(_query, rows, Scale, results);
                }
            }
            else
            {
                var rows = _floatRows.AsSpan(start * D, count * D);
                if (Metric == "L2")
                {
                    DistanceKernels.SquaredL2(_query, rows, results);
                }
                else
                {
                    DistanceKernels.InnerProduct(_query, rows, results);
                }
            }
        });
        return _results[^1];
    }

    public Throughput Work(string method) =>
        new((double)N * D * (Rows == "uint8" ? 1 : 4), "B", Machine.MemoryBytesPerSecond);
}
