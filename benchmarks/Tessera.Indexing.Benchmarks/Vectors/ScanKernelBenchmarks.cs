using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Vectors;

/// <summary>
/// The approximate scan kernels on cache-resident rows (4,099 rows × 128 values: 0.5 MiB as uint8),
/// against a naive scalar loop: uint8 rows × int8 codes on each integer path the machine has, and the
/// float32 FMA stream. Four rows share one horizontal reduction in the SIMD kernels.
/// </summary>
public unsafe class ScanKernelBenchmarks
{
    private const int Dimension = 128;
    private const int Rows = (8 * 512) + 3;
    private byte[] _bytes = [];
    private float[] _floats = [];
    private sbyte[] _codes = [];
    private float[] _query = [];
    private int[] _dots = [];
    private float[] _floatDots = [];

    /// <summary>The integer dot-product path (falls back to the best one when the machine lacks it).</summary>
    [Params("Scalar", "Avx2", "AvxVnni", "Avx512BW")]
    public string Path { get; set; } = "Scalar";

    private IntegerDotPath Chosen => Simd.Clamp(Enum.Parse<IntegerDotPath>(Path));

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _bytes = new byte[Rows * Dimension];
        random.NextBytes(_bytes);
        _floats = _bytes.Select(b => b / 255f).ToArray();
        _query = Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble()).ToArray();
        _codes = new Int8QuantizedVector(_query, ScanKernels.MaxCode(Chosen)).Codes;
        _dots = new int[Rows];
        _floatDots = new float[Rows];
    }

    /// <summary>One row at a time, widening each byte: the naive baseline.</summary>
    [Benchmark(Baseline = true)]
    public int NaiveIntegerDots()
    {
        var codes = _codes;
        var bytes = _bytes;
        for (var j = 0; j < Rows; j++)
        {
            var s = 0;
            for (var i = 0; i < Dimension; i++)
            {
                s += codes[i] * bytes[(j * Dimension) + i];
            }

            _dots[j] = s;
        }

        return _dots[Rows - 1];
    }

    /// <summary>The integer kernel on the chosen path.</summary>
    [Benchmark]
    public int IntegerDots()
    {
        fixed (sbyte* c = _codes)
        fixed (byte* r = _bytes)
        fixed (int* d = _dots)
        {
            ScanKernels.IntegerDots(c, r, Dimension, Rows, d, Chosen);
        }

        return _dots[Rows - 1];
    }

    /// <summary>The float32 FMA stream (the path parameter does not apply; the machine's best level).</summary>
    [Benchmark]
    public float FloatDots()
    {
        fixed (float* q = _query)
        fixed (float* r = _floats)
        fixed (float* d = _floatDots)
        {
            ScanKernels.FloatDots(q, r, Dimension, Rows, d, Simd.Best);
        }

        return _floatDots[Rows - 1];
    }
}
