using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Benchmarks.Reporting;
using Tessera.Indexing.Quantization;

namespace Tessera.Indexing.Benchmarks.Quantization;

/// <summary>
/// PQ encoding of 128-d vectors with PQ64 (dsub 2) and PQ16 (dsub 8) codebooks, 8 bits: the nearest
/// of 256 centroids in every sub-space. Work = 3*n*256*d FLOP (difference, square, sum per value).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class PqEncodingBenchmarks : IReportsThroughput
{
    private const int D = 128;
    private float[] _vectors = [];
    private byte[] _codes = [];
    private ProductQuantizer _pq = null!;

    /// <summary>Sub-quantizers: 64 (dsub 2) and 16 (dsub 8).</summary>
    [Params(64, 16)]
    public int M { get; set; } = 64;

    /// <summary>Vectors encoded per invocation (not a multiple of the vector width).</summary>
    [Params((6 * 512) + 7)]
    public int N { get; set; } = (6 * 512) + 7;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _vectors = Enumerable.Range(0, N * D).Select(_ => (float)random.NextDouble()).ToArray();
        var codebooks = Enumerable.Range(0, 256 * D).Select(_ => (float)random.NextDouble()).ToArray();
        _pq = new ProductQuantizer(D, M, 8, codebooks);
        _codes = new byte[N * M];
    }

    /// <summary>The naive version: scalar distances to every centroid of every sub-space.</summary>
    [Benchmark(Baseline = true)]
    public byte NaiveScalar()
    {
        var dsub = D / M;
        var codebooks = _pq.Codebooks;
        for (var i = 0; i < N; i++)
        {
            for (var m = 0; m < M; m++)
            {
                var best = float.PositiveInfinity;
                var label = 0;
                for (var j = 0; j < 256; j++)
                {
                    var sum = 0f;
                    for (var t = 0; t < dsub; t++)
                    {
                        var diff = _vectors[(i * D) + (m * dsub) + t] - codebooks[(((m * 256) + j) * dsub) + t];
                        sum += diff * diff;
                    }

                    if (sum < best)
                    {
                        best = sum;
                        label = j;
                    }
                }

                _codes[(i * M) + m] = (byte)label;
            }
        }

        return _codes[^1];
    }

    /// <summary>The SIMD encoder on one thread.</summary>
    [Benchmark]
    public byte Simd1Thread()
    {
        _pq.Encode(_vectors, _codes, 1);
        return _codes[^1];
    }

    /// <summary>The SIMD encoder on every core.</summary>
    [Benchmark]
    public byte SimdAllCores()
    {
        _pq.Encode(_vectors, _codes, -1);
        return _codes[^1];
    }

    public Throughput Work(string method)
    {
        var threads = method == nameof(SimdAllCores) ? Environment.ProcessorCount : 1;
        return new Throughput(3.0 * N * 256 * D, "FLOP", Machine.PeakFlops(threads));
    }
}
