using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Benchmarks.Search;

/// <summary>
/// The exact threshold scan over a whole viewport (default 4408 × 4408 pixels × 128 values, the
/// seed's 10 km viewport: 2.5 GB as uint8, 9.9 GB as float32), cosine ≥ T with T at the 99.9th
/// percentile, against a naive scalar loop. Set <c>TESSERA_BENCH_SIDE</c> to scan a smaller square.
/// Bytes scanned per second = rows × row bytes / mean time. The scan reads stored norms (as a viewport
/// built with <c>all_norms.npy</c> does); <see cref="ExactScoresAllCores"/> is the exact score of every
/// row, what a top-percent search or a distribution cost before the rank pass (<see cref="TopPercentBounded"/>).
/// </summary>
public unsafe class ThresholdScanBenchmarks
{
    private const int Dimension = 128;
    private NativeEmbeddingBuffer? _buffer;
    private float* _norms;
    private EmbeddingMatrix _matrix;
    private float[]? _scores;
    private ScoringQuery? _query;
    private float[] _queryVector = [];
    private float _threshold;

    /// <summary>How the rows are stored.</summary>
    [Params("uint8", "float32")]
    public string Storage { get; set; } = "uint8";

    /// <summary>Viewport side in pixels.</summary>
    public static int Side => int.TryParse(Environment.GetEnvironmentVariable("TESSERA_BENCH_SIDE"), out var side) ? side : 4408;

    [GlobalSetup]
    public void Setup()
    {
        var rows = (long)Side * Side;
        var bytes = Storage == "uint8";
        _buffer = new NativeEmbeddingBuffer(rows, Dimension, bytes ? EmbeddingElementType.UInt8 : EmbeddingElementType.Float32, bytes ? 1f / 255f : 1f);
        var matrix = _buffer.Matrix;
        Parallel.For(0, (int)((rows + 65535) / 65536), block =>
        {
            var state = (uint)(block * 2654435761u) | 1u;
            var first = (long)block * 65536;
            var end = Math.Min(rows, first + 65536);
            for (var row = first; row < end; row++)
            {
                var p = matrix.RowPointer(row);
                for (var d = 0; d < Dimension; d++)
                {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    if (bytes)
                    {
                        p[d] = (byte)(state >> 24);
                    }
                    else
                    {
                        ((float*)p)[d] = (state >> 8) / 16777216f;
                    }
                }
            }
        });

        _norms = (float*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)(rows * sizeof(float)));
        var norms = _norms;
        Parallel.For(0, (int)((rows + 65535) / 65536), block =>
        {
            var first = (long)block * 65536;
            var count = (int)Math.Min(65536, rows - first);
            if (bytes)
            {
                Tessera.Indexing.Vectors.ScanKernels.Norms(matrix.RowPointer(first), Dimension, count, norms + first);
            }
            else
            {
                Tessera.Indexing.Vectors.ScanKernels.Norms((float*)matrix.RowPointer(first), Dimension, count, norms + first, Tessera.Indexing.Vectors.Simd.Best);
            }
        });

        _matrix = matrix.WithNorms(_norms);
        _scores = new float[rows];
        _queryVector = new float[Dimension];
        matrix.ReadVector(12345, _queryVector);
        _query = new ScoringQuery(_queryVector, SimilarityMetric.Cosine, _matrix, normalizeRows: false);

        // T at the 99.9th percentile of a sample, so about 0.1 % of the pixels match.
        var sample = new float[Math.Min(rows, 200_000)];
        _query.ScoreRows(matrix, 0, sample);
        Array.Sort(sample);
        _threshold = sample[(int)(sample.Length * 0.999)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer?.Dispose();
        System.Runtime.InteropServices.NativeMemory.Free(_norms);
        _norms = null;
    }

    /// <summary>Plain scalar loops, one core: float conversion, dot product and norm per row.</summary>
    [Benchmark(Baseline = true)]
    public long NaiveScalar()
    {
        var matrix = _buffer!.Matrix;
        var q = _queryVector;
        double qq = 0;
        for (var d = 0; d < Dimension; d++)
        {
            qq += q[d] * q[d];
        }

        var qNorm = (float)Math.Sqrt(qq);
        long count = 0;
        var bytes = matrix.ElementType == EmbeddingElementType.UInt8;
        for (long row = 0; row < matrix.Rows; row++)
        {
            var p = matrix.RowPointer(row);
            float dot = 0, rr = 0;
            for (var d = 0; d < Dimension; d++)
            {
                var v = bytes ? p[d] * matrix.Scale : ((float*)p)[d];
                dot += q[d] * v;
                rr += v * v;
            }

            if (rr > 0 && dot / (qNorm * MathF.Sqrt(rr)) >= _threshold)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The exact scan on one core: approximate kernels (integer dot products for uint8, one FMA stream for float32) with stored norms, rescoring inside the error bound.</summary>
    [Benchmark]
    public long SimdOneCore() => ExactScanner.Scan(_matrix, [_query!], [_threshold], 1000, 1, CancellationToken.None)[0].Total;

    /// <summary>The exact scan on every core (the default).</summary>
    [Benchmark]
    public long SimdAllCores() => ExactScanner.Scan(_matrix, [_query!], [_threshold], 1000, Environment.ProcessorCount, CancellationToken.None)[0].Total;

    /// <summary>The exact (deterministic double-precision) score of every row on every core: the former top-percent and distribution pass (and a heat map's).</summary>
    [Benchmark]
    public float ExactScoresAllCores()
    {
        ExactScanner.ComputeScores(_matrix, _query!, _scores!, Environment.ProcessorCount, CancellationToken.None);
        return _scores![12345];
    }

    /// <summary>
    /// A top 0.1 % search as it ran before the bounded pass: every row scored exactly, the nine
    /// distribution percentiles and the cutoff selected among them, then the threshold scan.
    /// </summary>
    [Benchmark]
    public long TopPercentEveryRowExact()
    {
        ExactScanner.ComputeScores(_matrix, _query!, _scores!, Environment.ProcessorCount, CancellationToken.None);
        var valid = 0;
        for (var i = 0; i < _matrix.Rows; i++)
        {
            if (!float.IsNaN(_scores![i]))
            {
                _scores[valid++] = _scores[i];
            }
        }

        var values = _scores.AsSpan(0, valid);
        var wanted = Math.Clamp((long)Math.Ceiling(0.1 / 100.0 * valid), 1, valid);
        var cutoff = OrderStatistics.Select(values, [valid - wanted])[0];
        OrderStatistics.Percentiles(values, [0, 1, 5, 25, 50, 75, 95, 99, 100]);
        return ExactScanner.Scan(_matrix, [_query!], [cutoff], 1000, Environment.ProcessorCount, CancellationToken.None)[0].Total;
    }

    /// <summary>
    /// A top 0.1 % search now (ExactSearch): one approximate pass that keeps every row's dot product,
    /// exact scores only for the rows in the bands around the wanted ranks, then the threshold scan from
    /// the stored dot products (the matrix is read again only for the rows it rescores).
    /// </summary>
    [Benchmark]
    public long TopPercentBounded()
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        using var pass = RankPass.Run(_matrix, _query!, options);
        var (_, values, _) = ExactScanner.SelectRanks(pass, count => ExactSearch.Ranks(count, 0.1, true), options, 0.5);
        return pass.Scan(values[^1], 1000, options).Total;
    }

    /// <summary>TensorPrimitives per row (Dot + Norm, after widening uint8 rows), every core: the library-call alternative.</summary>
    [Benchmark]
    public long TensorPrimitivesAllCores()
    {
        var matrix = _buffer!.Matrix;
        var q = _queryVector;
        var qNorm = TensorPrimitives.Norm(q);
        long total = 0;
        var gate = new object();
        Parallel.For(0, (int)((matrix.Rows + 4095) / 4096), () => (Count: 0L, Row: new float[Dimension]), (chunk, _, local) =>
        {
            var first = (long)chunk * 4096;
            var end = Math.Min(matrix.Rows, first + 4096);
            for (var row = first; row < end; row++)
            {
                ReadOnlySpan<float> r;
                if (matrix.ElementType == EmbeddingElementType.UInt8)
                {
                    var source = new ReadOnlySpan<byte>(matrix.RowPointer(row), Dimension);
                    for (var d = 0; d < Dimension; d++)
                    {
                        local.Row[d] = source[d];
                    }

                    r = local.Row;
                }
                else
                {
                    r = new ReadOnlySpan<float>(matrix.RowPointer(row), Dimension);
                }

                var norm = TensorPrimitives.Norm(r);
                if (norm > 0 && TensorPrimitives.Dot(q, r) / (qNorm * norm) >= _threshold)
                {
                    local.Count++;
                }
            }

            return local;
        },
        local =>
        {
            lock (gate)
            {
                total += local.Count;
            }
        });
        return total;
    }
}
