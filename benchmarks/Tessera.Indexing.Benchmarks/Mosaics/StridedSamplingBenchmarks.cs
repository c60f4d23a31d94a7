using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Benchmarks.Mosaics;

/// <summary>Taking every 4th pixel of a pixel-interleaved 128-band row (the mosaic build's sampling).</summary>
public class StridedSamplingBenchmarks
{
    private const int Bands = 128;
    private const int Factor = 4;
    private byte[] _row = [];
    private byte[] _destination = [];

    /// <summary>Row width in pixels: the seed mosaic's 4408, and one not a multiple of the vector width.</summary>
    [Params(4408, (6 * 512) + 7)]
    public int Width { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _row = new byte[Width * Bands];
        new Random(1).NextBytes(_row);
        _destination = new byte[_row.Length];
    }

    [Benchmark(Baseline = true)]
    public int NaiveScalar()
    {
        var taken = 0;
        for (var p = 1; p < Width; p += Factor)
        {
            for (var b = 0; b < Bands; b++)
            {
                _destination[(taken * Bands) + b] = _row[(p * Bands) + b];
            }

            taken++;
        }

        return taken;
    }

    [Benchmark]
    public int GatherStrided() => EmbeddingKernels.GatherStrided<byte>(_row, Bands, 1, Factor, _destination);
}
