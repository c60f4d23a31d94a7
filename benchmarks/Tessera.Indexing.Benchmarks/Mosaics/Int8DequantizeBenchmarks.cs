using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Mosaics;

/// <summary>GeoTessera int8 tiles: each 128-band pixel times its own float32 scale.</summary>
public class Int8DequantizeBenchmarks
{
    private sbyte[] _source = [];
    private float[] _scales = [];
    private float[] _destination = [];

    /// <summary>Pixels per call, with the band count.</summary>
    [Params(4096, 1001)]
    public int Pixels { get; set; }

    /// <summary>Bands: GeoTessera's 128, and 100 (not a multiple of the vector width).</summary>
    [Params(128, 100)]
    public int Bands { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var bytes = new byte[Pixels * Bands];
        random.NextBytes(bytes);
        _source = Array.ConvertAll(bytes, b => unchecked((sbyte)b));
        _scales = Enumerable.Range(0, Pixels).Select(_ => (float)random.NextDouble() * 0.05f).ToArray();
        _destination = new float[Pixels * Bands];
    }

    [Benchmark(Baseline = true)]
    public float NaiveScalar()
    {
        for (var p = 0; p < Pixels; p++)
        {
            var scale = _scales[p];
            for (var b = 0; b < Bands; b++)
            {
                _destination[(p * Bands) + b] = _source[(p * Bands) + b] * scale;
            }
        }

        return _destination[^1];
    }

    [Benchmark]
    public float DequantizeInt8Rows()
    {
        EmbeddingKernels.DequantizeInt8Rows(_source, _scales, _destination);
        return _destination[^1];
    }
}
