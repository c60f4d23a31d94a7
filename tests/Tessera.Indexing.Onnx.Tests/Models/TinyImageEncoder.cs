namespace Tessera.Indexing.Onnx.Tests.Models;

/// <summary>
/// A small CLIP-shaped image encoder with fixed, seeded weights, written as an ONNX model in code:
/// <c>pixel_values [batch, 3, S, S]</c> → Conv 3×3 (pad 1) → Relu → GlobalAveragePool → Flatten → Gemm →
/// <c>image_embeds [batch, D]</c>; and the same arithmetic written plainly in C# (<see cref="Forward"/>).
/// </summary>
internal sealed class TinyImageEncoder
{
    public const string InputName = "pixel_values";
    public const string OutputName = "image_embeds";

    private readonly float[] _convWeights;
    private readonly float[] _convBias;
    private readonly float[] _gemmWeights;
    private readonly float[] _gemmBias;

    public TinyImageEncoder(int imageSize = 8, int convChannels = 4, int dimension = 5, int seed = 7)
    {
        ImageSize = imageSize;
        ConvChannels = convChannels;
        Dimension = dimension;
        var random = new Random(seed);
        _convWeights = Draw(random, convChannels * 3 * 3 * 3);
        _convBias = Draw(random, convChannels);
        _gemmWeights = Draw(random, convChannels * dimension);
        _gemmBias = Draw(random, dimension);
    }

    public int ImageSize { get; }

    public int ConvChannels { get; }

    public int Dimension { get; }

    /// <summary>
    /// The model as ONNX bytes (IR version 8, opset 17), with an open batch dimension named <c>batch</c> unless
    /// <paramref name="batchDimension"/> fixes it.
    /// </summary>
    public byte[] ToOnnx(object? batchDimension = null)
    {
        var batch = batchDimension ?? "batch";
        var nodes = new[]
        {
            OnnxProto.Node("Conv", "conv", [InputName, "conv_w", "conv_b"], ["conv_out"],
                OnnxProto.IntsAttribute("kernel_shape", 3, 3),
                OnnxProto.IntsAttribute("pads", 1, 1, 1, 1),
                OnnxProto.IntsAttribute("strides", 1, 1)),
            OnnxProto.Node("Relu", "relu", ["conv_out"], ["relu_out"]),
            OnnxProto.Node("GlobalAveragePool", "pool", ["relu_out"], ["pool_out"]),
            OnnxProto.Node("Flatten", "flatten", ["pool_out"], ["flat"], OnnxProto.IntAttribute("axis", 1)),
            OnnxProto.Node("Gemm", "gemm", ["flat", "gemm_w", "gemm_b"], [OutputName],
                OnnxProto.FloatAttribute("alpha", 1f),
                OnnxProto.FloatAttribute("beta", 1f)),
        };
        var initializers = new[]
        {
            OnnxProto.FloatTensor("conv_w", [ConvChannels, 3, 3, 3], _convWeights),
            OnnxProto.FloatTensor("conv_b", [ConvChannels], _convBias),
            OnnxProto.FloatTensor("gemm_w", [ConvChannels, Dimension], _gemmWeights),
            OnnxProto.FloatTensor("gemm_b", [Dimension], _gemmBias),
        };
        var inputs = new[] { OnnxProto.TensorValueInfo(InputName, OnnxProto.ElementFloat, batch, 3L, (long)ImageSize, (long)ImageSize) };
        var outputs = new[] { OnnxProto.TensorValueInfo(OutputName, OnnxProto.ElementFloat, batch, (long)Dimension) };
        return OnnxProto.Model(OnnxProto.Graph("tiny_image_encoder", nodes, initializers, inputs, outputs), irVersion: 8, opset: 17);
    }

    /// <summary>
    /// A variant whose output size depends on the image size, so ONNX Runtime cannot know it before a run:
    /// <c>pixel_values [batch, 3, h, w]</c> → Conv → Relu → Flatten → <c>features [batch, 4·h·w]</c>.
    /// </summary>
    public byte[] FeatureMapToOnnx()
    {
        var nodes = new[]
        {
            OnnxProto.Node("Conv", "conv", [InputName, "conv_w", "conv_b"], ["conv_out"],
                OnnxProto.IntsAttribute("kernel_shape", 3, 3),
                OnnxProto.IntsAttribute("pads", 1, 1, 1, 1)),
            OnnxProto.Node("Relu", "relu", ["conv_out"], ["relu_out"]),
            OnnxProto.Node("Flatten", "flatten", ["relu_out"], ["features"], OnnxProto.IntAttribute("axis", 1)),
        };
        var initializers = new[]
        {
            OnnxProto.FloatTensor("conv_w", [ConvChannels, 3, 3, 3], _convWeights),
            OnnxProto.FloatTensor("conv_b", [ConvChannels], _convBias),
        };
        var inputs = new[] { OnnxProto.TensorValueInfo(InputName, OnnxProto.ElementFloat, "batch", 3L, "h", "w") };
        var outputs = new[] { OnnxProto.TensorValueInfo("features", OnnxProto.ElementFloat, "batch", "features") };
        return OnnxProto.Model(OnnxProto.Graph("tiny_feature_map", nodes, initializers, inputs, outputs), irVersion: 8, opset: 17);
    }

    /// <summary>The feature-map variant's arithmetic for one image, done plainly (channel, row, column order).</summary>
    public float[] FeatureMap(ReadOnlySpan<float> image)
    {
        var s = ImageSize;
        var result = new float[ConvChannels * s * s];
        for (var o = 0; o < ConvChannels; o++)
        {
            for (var y = 0; y < s; y++)
            {
                for (var x = 0; x < s; x++)
                {
                    result[(o * s * s) + (y * s) + x] = (float)Math.Max(Convolve(image, o, y, x), 0);
                }
            }
        }

        return result;
    }

    /// <summary>The model's arithmetic for one image (<c>3 × S × S</c>, NCHW), done plainly.</summary>
    public float[] Forward(ReadOnlySpan<float> image)
    {
        var s = ImageSize;
        var pooled = new double[ConvChannels];
        for (var o = 0; o < ConvChannels; o++)
        {
            double sum = 0;
            for (var y = 0; y < s; y++)
            {
                for (var x = 0; x < s; x++)
                {
                    sum += Math.Max(Convolve(image, o, y, x), 0);
                }
            }

            pooled[o] = sum / (s * s);
        }

        var result = new float[Dimension];
        for (var j = 0; j < Dimension; j++)
        {
            double acc = _gemmBias[j];
            for (var i = 0; i < ConvChannels; i++)
            {
                acc += pooled[i] * _gemmWeights[(i * Dimension) + j];
            }

            result[j] = (float)acc;
        }

        return result;
    }

    private double Convolve(ReadOnlySpan<float> image, int o, int y, int x)
    {
        var s = ImageSize;
        double acc = _convBias[o];
        for (var c = 0; c < 3; c++)
        {
            for (var ky = 0; ky < 3; ky++)
            {
                for (var kx = 0; kx < 3; kx++)
                {
                    var iy = y + ky - 1;
                    var ix = x + kx - 1;
                    if (iy < 0 || iy >= s || ix < 0 || ix >= s)
                    {
                        continue;
                    }

                    acc += _convWeights[(((o * 3) + c) * 9) + (ky * 3) + kx] * image[(c * s * s) + (iy * s) + ix];
                }
            }
        }

        return acc;
    }

    private static float[] Draw(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
