namespace Tessera.Indexing.Testing;

/// <summary>Seeded test vectors and plain (unoptimised) reference computations.</summary>
public static class TestData
{
    /// <summary><paramref name="count"/> vectors of <paramref name="dimension"/> values drawn around a few cluster centres.</summary>
    public static float[] ClusteredVectors(int count, int dimension, int clusters = 16, int seed = 42)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimension];
        for (var i = 0; i < centres.Length; i++)
        {
            centres[i] = (float)random.NextDouble();
        }

        var result = new float[count * dimension];
        for (var i = 0; i < count; i++)
        {
            var c = random.Next(clusters);
            for (var j = 0; j < dimension; j++)
            {
                result[(i * dimension) + j] = centres[(c * dimension) + j] + (float)((random.NextDouble() - 0.5) * 0.1);
            }
        }

        return result;
    }

    /// <summary>Squared L2 distance, written plainly.</summary>
    public static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return (float)sum;
    }

    /// <summary>Inner product, written plainly.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return (float)sum;
    }

    /// <summary>Exact k nearest neighbours by L2, by sorting every distance.</summary>
    public static long[] BruteForceL2(ReadOnlySpan<float> data, int dimension, ReadOnlySpan<float> query, int k)
    {
        var n = data.Length / dimension;
        var distances = new (float Distance, long Label)[n];
        for (var i = 0; i < n; i++)
        {
            distances[i] = (SquaredL2(data.Slice(i * dimension, dimension), query), i);
        }

        Array.Sort(distances, static (x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Label.CompareTo(y.Label));
        var result = new long[Math.Min(k, n)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = distances[i].Label;
        }

        return result;
    }

    /// <summary>Writes floats as raw little-endian float32 (what <c>numpy.fromfile(..., dtype='float32')</c> reads).</summary>
    public static void WriteRawFloats(string path, ReadOnlySpan<float> values) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());
}
