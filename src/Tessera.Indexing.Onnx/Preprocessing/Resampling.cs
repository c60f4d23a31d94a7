using Tessera.Indexing.Onnx.Embeddings;

namespace Tessera.Indexing.Onnx.Preprocessing;

/// <summary>
/// Separable resampling weights for one axis, as Pillow computes them for its bilinear (triangle) and bicubic filters:
/// the filter's support widens with the reduction factor, so a downscale averages every source pixel it covers
/// instead of aliasing. For an unchanged size the weights are the identity.
/// </summary>
internal static class Resampling
{
    /// <summary>The most taps one output sample can need when <paramref name="inSize"/> becomes <paramref name="outSize"/>.</summary>
    public static int MaxTaps(int inSize, int outSize, ImageResizeFilter filter)
    {
        if (inSize == outSize)
        {
            return 1;
        }

        var support = Support(filter) * Math.Max((double)inSize / outSize, 1.0);
        return ((int)Math.Ceiling(support) * 2) + 1;
    }

    /// <summary>
    /// Weights for outputs <paramref name="offset"/> .. <paramref name="offset"/> + <paramref name="starts"/>.Length of a
    /// resize from <paramref name="inSize"/> to <paramref name="outSize"/> samples. Output <c>i</c> is
    /// <c>Σ_k weights[i * maxTaps + k] · in[starts[i] + k]</c> for <c>k &lt; counts[i]</c>; the weights sum to 1.
    /// </summary>
    public static void Compute(int inSize, int outSize, int offset, Span<int> starts, Span<int> counts, Span<float> weights, int maxTaps, ImageResizeFilter filter)
    {
        weights.Clear();
        if (inSize == outSize)
        {
            for (var i = 0; i < starts.Length; i++)
            {
                starts[i] = offset + i;
                counts[i] = 1;
                weights[i * maxTaps] = 1f;
            }

            return;
        }

        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = Support(filter) * filterScale;
        var inverseFilterScale = 1.0 / filterScale;
        for (var i = 0; i < starts.Length; i++)
        {
            var center = (offset + i + 0.5) * scale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inSize);
            var w = weights.Slice(i * maxTaps, maxTaps);
            double total = 0;
            var n = max - min;
            for (var k = 0; k < n; k++)
            {
                var value = Filter(filter, (k + min - center + 0.5) * inverseFilterScale);
                w[k] = (float)value;
                total += value;
            }

            var first = 0;
            var last = n - 1;
            while (first < last && w[first] == 0f)
            {
                first++;
            }

            while (last > first && w[last] == 0f)
            {
                last--;
            }

            var count = last - first + 1;
            var normalise = total != 0 ? 1.0 / total : 0.0;
            for (var k = 0; k < count; k++)
            {
                w[k] = (float)(w[first + k] * normalise);
            }

            w[count..].Clear();
            starts[i] = min + first;
            counts[i] = count;
        }
    }

    private static double Support(ImageResizeFilter filter) => filter == ImageResizeFilter.Bicubic ? 2.0 : 1.0;

    private static double Filter(ImageResizeFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ImageResizeFilter.Bicubic)
        {
            // Keys' cubic convolution with a = -0.5, as Pillow's bicubic_filter.
            const double A = -0.5;
            return x < 1.0 ? ((((A + 2.0) * x) - (A + 3.0)) * x * x) + 1.0
                : x < 2.0 ? ((((x - 5.0) * x) + 8.0) * x - 4.0) * A
                : 0.0;
        }

        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
