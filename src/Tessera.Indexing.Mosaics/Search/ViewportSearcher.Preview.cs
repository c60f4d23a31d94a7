using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Mosaics.Search;

public sealed partial class ViewportSearcher
{
    /// <summary>
    /// Draws the viewport's embeddings as an RGB image at most <paramref name="maxSize"/> pixels on
    /// its longer side (a larger viewport is sampled every factor-th pixel): bands 1–3, or the first
    /// three principal components, each stretched between its 2nd and 98th percentile. Pixels
    /// without data are dark grey.
    /// </summary>
    /// <param name="mode">Bands 1–3 or PCA.</param>
    /// <param name="maxSize">Longest side of the image (16..8192).</param>
    /// <param name="cancellationToken">Stops the rendering between rows.</param>
    /// <returns>The image and the reduction factor.</returns>
    public (RgbImage Image, int Factor) RenderPreview(ViewportPreviewMode mode = ViewportPreviewMode.Bands123, int maxSize = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, 8192);
        Enter();
        try
        {
            return RenderPreviewCore(mode, maxSize, cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    private (RgbImage Image, int Factor) RenderPreviewCore(ViewportPreviewMode mode, int maxSize, CancellationToken cancellationToken)
    {
        var factor = Math.Max(1, (Math.Max(Width, Height) + maxSize - 1) / maxSize);
        var outWidth = (Width + factor - 1) / factor;
        var outHeight = (Height + factor - 1) / factor;
        var count = outWidth * outHeight;
        var d = Dimension;
        var channels = new float[count * 3];
        var hasData = new bool[count];
        double[][]? components = null;
        double[]? mean = null;
        if (mode == ViewportPreviewMode.Pca)
        {
            (mean, components) = PrincipalComponents(outWidth, outHeight, factor, cancellationToken);
        }

        var vector = new float[d];
        for (var oy = 0; oy < outHeight; oy++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var ox = 0; ox < outWidth; ox++)
            {
                var i = (oy * outWidth) + ox;
                if (!ReadPreviewVector(oy * factor, ox * factor, vector))
                {
                    continue;
                }

                hasData[i] = true;
                for (var c = 0; c < 3; c++)
                {
                    if (components is null)
                    {
                        channels[(i * 3) + c] = vector[Math.Min(c, d - 1)];
                    }
                    else
                    {
                        double sum = 0;
                        for (var j = 0; j < d; j++)
                        {
                            sum += (vector[j] - mean![j]) * components[c][j];
                        }

                        channels[(i * 3) + c] = (float)sum;
                    }
                }
            }
        }

        var pixels = new byte[count * 3];
        for (var c = 0; c < 3; c++)
        {
            var values = new List<float>(count);
            for (var i = 0; i < count; i++)
            {
                if (hasData[i])
                {
                    values.Add(channels[(i * 3) + c]);
                }
            }

            float low = 0, high = 1;
            if (values.Count > 0)
            {
                var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
                var stretch = OrderStatistics.Percentiles(span, [2, 98]);
                (low, high) = (stretch[0], stretch[1]);
            }

            var range = high > low ? high - low : 1f;
            for (var i = 0; i < count; i++)
            {
                pixels[(i * 3) + c] = hasData[i] ? (byte)Math.Clamp(MathF.Round((channels[(i * 3) + c] - low) / range * 255f), 0, 255) : (byte)32;
            }
        }

        return (new RgbImage(outWidth, outHeight, pixels), factor);
    }

    private bool ReadPreviewVector(int row, int col, float[] vector)
    {
        var pixel = ((long)row * Width) + col;
        _matrix.ReadVector(pixel, vector);
        var any = false;
        foreach (var v in vector)
        {
            if (v != 0)
            {
                any = true;
                break;
            }
        }

        if (any && _layout.Normalized)
        {
            NormalizeInPlace(vector);
        }

        return any;
    }

    private (double[] Mean, double[][] Components) PrincipalComponents(int outWidth, int outHeight, int factor, CancellationToken cancellationToken)
    {
        const int maxSamples = 4096;
        var d = Dimension;
        var total = outWidth * outHeight;
        var stride = Math.Max(1, total / maxSamples);
        var samples = new List<float[]>();
        for (var i = 0; i < total; i += stride)
        {
            var v = new float[d];
            if (ReadPreviewVector(i / outWidth * factor, i % outWidth * factor, v))
            {
                samples.Add(v);
            }
        }

        var mean = new double[d];
        foreach (var s in samples)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += s[j];
            }
        }

        for (var j = 0; j < d; j++)
        {
            mean[j] /= Math.Max(1, samples.Count);
        }

        var covariance = new double[d, d];
        foreach (var s in samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var a = 0; a < d; a++)
            {
                var da = s[a] - mean[a];
                for (var b = a; b < d; b++)
                {
                    covariance[a, b] += da * (s[b] - mean[b]);
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = 0; b < a; b++)
            {
                covariance[a, b] = covariance[b, a];
            }
        }

        // Power iteration with deflation: the three leading eigenvectors.
        var components = new double[3][];
        var random = new Random(1);
        for (var c = 0; c < 3; c++)
        {
            var v = new double[d];
            for (var j = 0; j < d; j++)
            {
                v[j] = random.NextDouble() - 0.5;
            }

            for (var iteration = 0; iteration < 200; iteration++)
            {
                var next = new double[d];
                for (var a = 0; a < d; a++)
                {
                    double sum = 0;
                    for (var b = 0; b < d; b++)
                    {
                        sum += covariance[a, b] * v[b];
                    }

                    next[a] = sum;
                }

                for (var p = 0; p < c; p++)
                {
                    double dot = 0;
                    for (var j = 0; j < d; j++)
                    {
                        dot += next[j] * components[p][j];
                    }

                    for (var j = 0; j < d; j++)
                    {
                        next[j] -= dot * components[p][j];
                    }
                }

                var norm = Math.Sqrt(next.Sum(x => x * x));
                if (norm < 1e-30)
                {
                    break;
                }

                for (var j = 0; j < d; j++)
                {
                    v[j] = next[j] / norm;
                }
            }

            components[c] = v;
        }

        return (mean, components);
    }
}
