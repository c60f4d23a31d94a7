using System.Globalization;
using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Preprocessing;

namespace Tessera.Indexing.Benchmarks.Onnx;

/// <summary>
/// CLIP preprocessing of one image to a 224 × 224 NCHW float tensor (resize shortest side to 224 with Pillow's
/// bilinear filter, centre crop, normalise): the library's windowed, separable, vectorised version against a naive
/// scalar one that computes every output value from its 2-D filter window.
/// </summary>
[MemoryDiagnoser]
public class ClipPreprocessingBenchmarks
{
    private const int Crop = 224;
    private static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    private RgbImage _image = null!;
    private byte[] _pixels = [];
    private ClipPreprocessor _preprocessor = null!;
    private float[] _output = [];

    /// <summary>Source image size: already 224 (crop only), a typical photo, and sizes that are not multiples of the vector width.</summary>
    [Params("224x224", "640x480", "1023x767")]
    public string Source { get; set; } = "640x480";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Source.Split('x');
        var width = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var height = int.Parse(parts[1], CultureInfo.InvariantCulture);
        _pixels = new byte[width * height * 3];
        new Random(42).NextBytes(_pixels);
        _image = new RgbImage(width, height, _pixels);
        _preprocessor = new ClipPreprocessor(Crop, Crop, Mean, Std);
        _output = new float[3 * Crop * Crop];
    }

    [Benchmark(Baseline = true)]
    public float[] NaiveScalar()
    {
        NaivePreprocess(_pixels, _image.Width, _image.Height, _output);
        return _output;
    }

    [Benchmark]
    public float[] Simd()
    {
        _preprocessor.Process(_image, _output);
        return _output;
    }

    /// <summary>Per output value: compute the horizontal and vertical triangle weights and sum the 2-D window; then normalise.</summary>
    private static void NaivePreprocess(byte[] rgb, int width, int height, float[] output)
    {
        var (rw, rh) = ClipPreprocessor.ResizedSize(width, height, Crop);
        var left = (int)Math.Round((rw - Crop) / 2.0);
        var top = (int)Math.Round((rh - Crop) / 2.0);
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < Crop; y++)
            {
                for (var x = 0; x < Crop; x++)
                {
                    var (y0, y1, ys, yc) = Window(height, rh, top + y);
                    var (x0, x1, xs, xc) = Window(width, rw, left + x);
                    double sum = 0, weightSum = 0;
                    for (var iy = y0; iy < y1; iy++)
                    {
                        var wy = rh == height ? (iy == top + y ? 1.0 : 0.0) : Math.Max(0, 1 - Math.Abs((iy - yc + 0.5) / ys));
                        for (var ix = x0; ix < x1; ix++)
                        {
                            var wx = rw == width ? (ix == left + x ? 1.0 : 0.0) : Math.Max(0, 1 - Math.Abs((ix - xc + 0.5) / xs));
                            sum += wy * wx * rgb[(((iy * width) + ix) * 3) + c];
                            weightSum += wy * wx;
                        }
                    }

                    var value = sum / weightSum;
                    output[(c * Crop * Crop) + (y * Crop) + x] = (float)(((value / 255.0) - Mean[c]) / Std[c]);
                }
            }
        }
    }

    private static (int Start, int End, double Scale, double Center) Window(int inSize, int outSize, int o)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var center = (o + 0.5) * scale;
        return (Math.Max((int)(center - filterScale + 0.5), 0), Math.Min((int)(center + filterScale + 0.5), inSize), filterScale, center);
    }
}
