using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Mosaics;

/// <summary>L2-normalising rows in place (<c>v / max(‖v‖, 1e-12)</c>), as the build does with <c>--normalize</c>.</summary>
public class L2NormalizeBenchmarks
{
    private float[] _vectors = [];

    /// <summary>Rows per call.</summary>
    [Params(4096)]
    public int Rows { get; set; }

    /// <summary>Dimension: GeoTessera's 128, and 100 (not a multiple of the vector width).</summary>
    [Params(128, 100)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4);
        _vectors = Enumerable.Range(0, Rows * Dimension).Select(_ => (float)random.NextDouble()).ToArray();
    }

    // Normalising already-unit rows again costs the same as the first time, so iterations need no reset.

    [Benchmark(Baseline = true)]
    public float NaiveScalar()
    {
        for (var r = 0; r < Rows; r++)
        {
            var offset = r * Dimension;
            var sum = 0f;
            for (var i = 0; i < Dimension; i++)
            {
                sum += _vectors[offset + i] * _vectors[offset + i];
            }

            var norm = MathF.Max(MathF.Sqrt(sum), 1e-12f);
            for (var i = 0; i < Dimension; i++)
            {
                _vectors[offset + i] /= norm;
            }
        }

        return _vectors[^1];
    }

    [Benchmark]
    public float NormalizeRows()
    {
        EmbeddingKernels.NormalizeRows(_vectors, Dimension);
        return _vectors[^1];
    }
}
