using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Mosaics.Tests.Search;

/// <summary>
/// A viewport built in memory: blobby land-cover-like classes (each pixel near its class centre),
/// a rectangle of no-data pixels, stored as float32 or uint8, with an optional FAISS index over the
/// sampled pixels. The plain reference computations the tests compare against live here too.
/// </summary>
internal sealed class InMemoryViewport
{
    public const double OriginLon = 77.5;
    public const double OriginLat = 13.1;
    public const double Step = 0.0001;

    public InMemoryViewport(int height, int width, int dimension, bool bytes, bool normalized = false, int seed = 7)
    {
        Height = height;
        Width = width;
        Dimension = dimension;
        Bytes = bytes;
        Normalized = normalized;
        Scale = bytes ? 1f / 255f : 1f;
        Stored = new float[(long)height * width * dimension];
        var random = new Random(seed);
        const int classes = 6;
        var centres = new float[classes * dimension];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)(random.NextDouble() * 200) + 20;
        }

        for (var row = 0; row < height; row++)
        {
            for (var col = 0; col < width; col++)
            {
                var pixel = (row * width) + col;
                if (row >= 3 && row < 6 && col >= 2 && col < 9)
                {
                    continue; // no data: all zeros
                }

                // Blobs: the class follows a coarse pattern, with some pixels flipped.
                var c = (((row / 9) * 3) + (col / 11) + (random.Next(10) == 0 ? 1 : 0)) % classes;
                for (var d = 0; d < dimension; d++)
                {
                    var v = centres[(c * dimension) + d] + (float)((random.NextDouble() - 0.5) * 40);
                    v = Math.Clamp(v, 0, 255);
                    Stored[((long)pixel * dimension) + d] = bytes ? MathF.Round(v) : v / 255f;
                }
            }
        }
    }

    public int Height { get; }

    public int Width { get; }

    public int Dimension { get; }

    public bool Bytes { get; }

    public bool Normalized { get; }

    public float Scale { get; }

    /// <summary>Stored values (bytes as 0..255 floats, or the float32 values).</summary>
    public float[] Stored { get; }

    public GeoTransform GeoTransform => new(OriginLon, Step, 0, OriginLat, 0, -Step);

    /// <summary>The indexed vector of a pixel, computed plainly in double precision.</summary>
    public double[] IndexedVector(long pixel)
    {
        var v = new double[Dimension];
        double norm = 0;
        for (var d = 0; d < Dimension; d++)
        {
            v[d] = (double)Stored[(pixel * Dimension) + d] * Scale;
            norm += v[d] * v[d];
        }

        if (Normalized && norm > 0)
        {
            for (var d = 0; d < Dimension; d++)
            {
                v[d] /= Math.Sqrt(norm);
            }
        }

        return v;
    }

    public bool HasData(long pixel)
    {
        for (var d = 0; d < Dimension; d++)
        {
            if (Stored[(pixel * Dimension) + d] != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every pixel with data and its score, written plainly: cosine or Euclidean distance in double precision.</summary>
    public List<(long Pixel, double Score)> BruteForceScores(double[] query, SimilarityMetric metric)
    {
        var q = query;
        if (Normalized)
        {
            var qn = Math.Sqrt(q.Sum(x => x * x));
            q = q.Select(x => x / qn).ToArray();
        }

        var result = new List<(long, double)>();
        for (long p = 0; p < (long)Height * Width; p++)
        {
            if (!HasData(p))
            {
                continue;
            }

            var r = IndexedVector(p);
            double score;
            if (metric == SimilarityMetric.Cosine)
            {
                double dot = 0, qq = 0, rr = 0;
                for (var d = 0; d < Dimension; d++)
                {
                    dot += q[d] * r[d];
                    qq += q[d] * q[d];
                    rr += r[d] * r[d];
                }

                score = dot / Math.Sqrt(qq * rr);
            }
            else
            {
                double sum = 0;
                for (var d = 0; d < Dimension; d++)
                {
                    sum += (q[d] - r[d]) * (q[d] - r[d]);
                }

                score = Math.Sqrt(sum);
            }

            result.Add((p, score));
        }

        return result;
    }

    /// <summary>Builds the searcher; with <paramref name="indexFactory"/>, a FAISS index over every <paramref name="factor"/>-th pixel (ids = pixel index).</summary>
    public ViewportSearcher Open(string? indexFactory = null, int factor = 1, VectorMetric indexMetric = VectorMetric.L2, ViewportSearcherOptions? options = null)
    {
        var buffer = new NativeEmbeddingBuffer((long)Height * Width, Dimension, Bytes ? EmbeddingElementType.UInt8 : EmbeddingElementType.Float32, Scale);
        if (Bytes)
        {
            var target = buffer.AsBytes();
            for (var i = 0; i < Stored.Length; i++)
            {
                target[i] = (byte)Stored[i];
            }
        }
        else
        {
            Stored.CopyTo(buffer.AsFloats());
        }

        FaissIndex? index = null;
        if (indexFactory is not null)
        {
            index = BuildIndex(indexFactory, factor, indexMetric);
        }

        var layout = new ViewportLayout("test_viewport", Width, Height, Dimension, GeoTransform, "EPSG:4326", Normalized, factor, 0, 0);
        return new ViewportSearcher(layout, buffer.Matrix, buffer, index, Normalized, options, null);
    }

    /// <summary>The sampled pixels with data, as the mosaic indexer would put them in the index.</summary>
    public List<long> SampledPixels(int factor)
    {
        var pixels = new List<long>();
        for (var row = 0; row < Height; row += factor)
        {
            for (var col = 0; col < Width; col += factor)
            {
                var p = ((long)row * Width) + col;
                if (HasData(p))
                {
                    pixels.Add(p);
                }
            }
        }

        return pixels;
    }

    private FaissIndex BuildIndex(string factory, int factor, VectorMetric metric)
    {
        var pixels = SampledPixels(factor);
        var vectors = new float[pixels.Count * Dimension];
        for (var i = 0; i < pixels.Count; i++)
        {
            var v = IndexedVector(pixels[i]);
            for (var d = 0; d < Dimension; d++)
            {
                vectors[(i * Dimension) + d] = (float)v[d];
            }
        }

        var index = FaissIndex.Create(Dimension, factory, metric);
        index.Train(vectors);
        index.Add(vectors, pixels.ToArray());
        return index;
    }
}
