using Tessera.Indexing.Onnx.Embeddings;

namespace Tessera.Indexing.Onnx.Tests.Reference;

/// <summary>
/// CLIP preprocessing written plainly, to check the library's windowed, vectorised version: the whole image is resized
/// in double precision (horizontal pass, then vertical, with Pillow's filter weights written out from their
/// definition; bicubic results clamped to [0, 255] after each pass), centre-cropped with torchvision's rounding, then
/// (v / 255 − mean) / std in NCHW order.
/// </summary>
internal static class ReferencePreprocessing
{
    public static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];

    public static float[] Preprocess(
        byte[] rgb,
        int width,
        int height,
        int shortestSide,
        int crop,
        float[]? mean = null,
        float[]? std = null,
        ImageResizeFilter filter = ImageResizeFilter.Bilinear)
    {
        mean ??= ClipMean;
        std ??= ClipStd;
        var (resizedWidth, resizedHeight) = ResizedSize(width, height, shortestSide);
        var resized = Resize(rgb, width, height, resizedWidth, resizedHeight, filter);
        var left = (int)Math.Round((resizedWidth - crop) / 2.0);
        var top = (int)Math.Round((resizedHeight - crop) / 2.0);
        var result = new float[3 * crop * crop];
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < crop; y++)
            {
                for (var x = 0; x < crop; x++)
                {
                    var value = resized[((((top + y) * resizedWidth) + left + x) * 3) + c];
                    result[(c * crop * crop) + (y * crop) + x] = (float)(((value / 255.0) - mean[c]) / std[c]);
                }
            }
        }

        return result;
    }

    public static (int Width, int Height) ResizedSize(int width, int height, int shortestSide) =>
        width <= height
            ? (shortestSide, (int)Math.Floor((double)shortestSide * height / width))
            : ((int)Math.Floor((double)shortestSide * width / height), shortestSide);

    /// <summary>The whole image resized to <paramref name="outWidth"/> × <paramref name="outHeight"/>, interleaved RGB doubles.</summary>
    public static double[] Resize(byte[] rgb, int width, int height, int outWidth, int outHeight, ImageResizeFilter filter)
    {
        var clamp = filter == ImageResizeFilter.Bicubic;
        var horizontal = new double[height * outWidth * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                foreach (var (index, weight) in Weights(width, outWidth, x, filter))
                {
                    for (var c = 0; c < 3; c++)
                    {
                        horizontal[(((y * outWidth) + x) * 3) + c] += weight * rgb[(((y * width) + index) * 3) + c];
                    }
                }
            }
        }

        if (clamp)
        {
            Clamp(horizontal);
        }

        var result = new double[outHeight * outWidth * 3];
        for (var y = 0; y < outHeight; y++)
        {
            foreach (var (index, weight) in Weights(height, outHeight, y, filter))
            {
                for (var i = 0; i < outWidth * 3; i++)
                {
                    result[(y * outWidth * 3) + i] += weight * horizontal[(index * outWidth * 3) + i];
                }
            }
        }

        if (clamp)
        {
            Clamp(result);
        }

        return result;
    }

    private static List<(int Index, double Weight)> Weights(int inSize, int outSize, int o, ImageResizeFilter filter)
    {
        if (inSize == outSize)
        {
            return [(o, 1.0)];
        }

        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = (filter == ImageResizeFilter.Bicubic ? 2.0 : 1.0) * filterScale;
        var center = (o + 0.5) * scale;
        var low = Math.Max((int)(center - support + 0.5), 0);
        var high = Math.Min((int)(center + support + 0.5), inSize);
        var weights = new List<(int, double)>();
        double total = 0;
        for (var i = low; i < high; i++)
        {
            var t = Math.Abs((i - center + 0.5) / filterScale);
            double w;
            if (filter == ImageResizeFilter.Bicubic)
            {
                const double A = -0.5;
                w = t < 1 ? ((A + 2) * t * t * t) - ((A + 3) * t * t) + 1
                    : t < 2 ? (A * t * t * t) - (5 * A * t * t) + (8 * A * t) - (4 * A)
                    : 0;
            }
            else
            {
                w = Math.Max(0.0, 1.0 - t);
            }

            weights.Add((i, w));
            total += w;
        }

        for (var k = 0; k < weights.Count; k++)
        {
            weights[k] = (weights[k].Item1, weights[k].Item2 / total);
        }

        return weights;
    }

    private static void Clamp(double[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], 0, 255);
        }
    }
}
