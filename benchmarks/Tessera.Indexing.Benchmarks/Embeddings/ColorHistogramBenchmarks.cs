using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Benchmarks.Embeddings;

/// <summary>
/// The colour histogram embedding (8×8×8 bins, square root, L2 normalisation) of one image:
/// a naive scalar baseline, the tuned scalar kernel, and the SSSE3 kernel the embedder uses.
/// </summary>
[MemoryDiagnoser]
public class ColorHistogramBenchmarks
{
    private readonly ColorHistogramEmbedder _embedder = new();
    private readonly float[] _destination = new float[512];
    private RgbImage _image = null!;

    /// <summary>Pixels: one not a multiple of 16 (6×512+7), a CLIP-sized 224×224, and 512×512.</summary>
    [Params(6 * 512 + 7, 224 * 224, 512 * 512)]
    public int Pixels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var pixels = new byte[Pixels * 3];
        new Random(42).NextBytes(pixels);
        _image = new RgbImage(Pixels, 1, pixels);
    }

    /// <summary>Plain C#: float bins from a division per channel, one histogram, Math.Sqrt and a loop norm.</summary>
    [Benchmark(Baseline = true)]
    public float Naive()
    {
        const int bins = 8;
        var histogram = new float[bins * bins * bins];
        var rgb = _image.Pixels.Span;
        for (var i = 0; i < rgb.Length; i += 3)
        {
            var r = rgb[i] * bins / 256;
            var g = rgb[i + 1] * bins / 256;
            var b = rgb[i + 2] * bins / 256;
            histogram[(((r * bins) + g) * bins) + b] += 1f;
        }

        double sum = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            histogram[i] = (float)Math.Sqrt(histogram[i]);
            sum += histogram[i] * histogram[i];
        }

        var norm = Math.Max(Math.Sqrt(sum), 1e-12);
        for (var i = 0; i < histogram.Length; i++)
        {
            histogram[i] = (float)(histogram[i] / norm);
        }

        return histogram[0];
    }

    /// <summary>The scalar fallback: shifts, four sub-histograms, TensorPrimitives finish.</summary>
    [Benchmark]
    public float ScalarKernel()
    {
        Span<int> scratch = stackalloc int[4 * 512];
        scratch.Clear();
        ColorHistogramKernel.AccumulateScalar(_image.Pixels.Span, scratch, 3, 512);
        Span<int> counts = stackalloc int[512];
        for (var i = 0; i < 512; i++)
        {
            counts[i] = scratch[i] + scratch[512 + i] + scratch[1024 + i] + scratch[1536 + i];
        }

        ColorHistogramKernel.Finish(counts, _destination, squareRoot: true);
        return _destination[0];
    }

    /// <summary>What <see cref="ColorHistogramEmbedder"/> runs: SSSE3 deinterleave of 16 pixels at a time.</summary>
    [Benchmark]
    public float Simd()
    {
        _embedder.Embed(_image, _destination);
        return _destination[0];
    }
}
