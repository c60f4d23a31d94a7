using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The viewport's preview: its indexed vectors drawn as RGB, every factor-th pixel, from bands 1–3
/// or the first three principal components (power iteration on the covariance of at most 4,096
/// sampled vectors), stretched by <see cref="PreviewStretch"/>.
/// </summary>
internal sealed class PreviewRenderer(ViewportLayout layout, EmbeddingMatrix matrix)
{
    private const int MaxPcaSamples = 4096;

    public (RgbImage Image, int Factor) Render(ViewportPreviewMode mode, int maxSize, CancellationToken cancellationToken)
    {
        var (factor, outWidth, outHeight) = PreviewStretch.Reduce(layout.Width, layout.Height, maxSize);
        var count = outWidth * outHeight;
        var d = layout.Dimension;
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
                if (!ReadVector(oy * factor, ox * factor, vector))
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

        return (PreviewStretch.ToImage(outWidth, outHeight, channels, hasData), factor);
    }

    private bool ReadVector(int row, int col, float[] vector)
    {
        matrix.ReadVector(((long)row * layout.Width) + col, vector);
        if (Array.TrueForAll(vector, v => v == 0))
        {
            return false;
        }

        if (layout.Normalized)
        {
            QueryResolver.NormalizeInPlace(vector);
        }

        return true;
    }

    private (double[] Mean, double[][] Components) PrincipalComponents(int outWidth, int outHeight, int factor, CancellationToken cancellationToken)
    {
        var d = layout.Dimension;
        var total = outWidth * outHeight;
        var stride = Math.Max(1, total / MaxPcaSamples);
        var samples = new List<float[]>();
        for (var i = 0; i < total; i += stride)
        {
            var v = new float[d];
            if (ReadVector(i / outWidth * factor, i % outWidth * factor, v))
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

        return (mean, LeadingEigenvectors(covariance, d, 3));
    }

    /// <summary>Power iteration with deflation: the <paramref name="count"/> leading eigenvectors of a symmetric matrix.</summary>
    private static double[][] LeadingEigenvectors(double[,] covariance, int d, int count)
    {
        var components = new double[count][];
        var random = new Random(1);
        for (var c = 0; c < count; c++)
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

        return components;
    }
}
