using Tessera.Indexing.Testing;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Tests.Vectors;

/// <summary>Each SIMD kernel against a plain loop, on lengths that exercise the 512-bit, 256-bit and scalar paths.</summary>
public sealed class EmbeddingKernelsTests
{
    public static TheoryData<int> Lengths => [0, 1, 7, 31, 32, 33, 63, 64, 65, 100, 128, 6 * 512 + 7];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ConvertUInt8_equals_a_plain_float_division_by_255(int length)
    {
        var source = Bytes(length, 1);
        var actual = new float[length];

        EmbeddingKernels.ConvertUInt8(source, actual);

        var expected = source.Select(b => b / 255f).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void ConvertUInt8_matches_numpy_astype_float32_divided_by_255_for_every_byte_value()
    {
        var source = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var actual = new float[256];
        EmbeddingKernels.ConvertUInt8(source, actual);

        var py = Python.RunJson("""
            import json, numpy as np
            v = np.arange(256, dtype=np.uint8).astype(np.float32) / 255
            print(json.dumps([int(x) for x in v.view(np.uint32)]))
            """);

        var numpyBits = py.EnumerateArray().Select(e => e.GetUInt32()).ToArray();
        Assert.Equal(numpyBits, actual.Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    [Fact]
    public void A_stored_uint8_times_the_metadata_scale_in_double_rounds_to_the_same_float32()
    {
        // metadata.json documents vector = stored * (1/255) for uint8 storage; float32 storage divides.
        var converted = new float[256];
        EmbeddingKernels.ConvertUInt8(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), converted);

        for (var v = 0; v < 256; v++)
        {
            Assert.Equal(converted[v], (float)(v * (1.0 / 255.0)));
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void DequantizeInt8_equals_a_plain_multiplication(int length)
    {
        var source = Bytes(length, 2).Select(b => unchecked((sbyte)b)).ToArray();
        var actual = new float[length];

        EmbeddingKernels.DequantizeInt8(source, 0.0173f, actual);

        Assert.Equal(source.Select(v => v * 0.0173f).ToArray(), actual);
    }

    [Theory]
    [InlineData(1, 128)]
    [InlineData(5, 128)]
    [InlineData(3, 7)]
    [InlineData(2, 97)]
    public void DequantizeInt8Rows_scales_each_row_by_its_own_scale(int rows, int dimension)
    {
        var source = Bytes(rows * dimension, 3).Select(b => unchecked((sbyte)b)).ToArray();
        var scales = Enumerable.Range(0, rows).Select(r => 0.01f * (r + 1)).ToArray();
        var actual = new float[rows * dimension];

        EmbeddingKernels.DequantizeInt8Rows(source, scales, actual);

        var expected = source.Select((v, i) => v * scales[i / dimension]).ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(4, 128)]
    [InlineData(3, 7)]
    [InlineData(2, 6 * 512 + 7)]
    public void NormalizeRows_gives_unit_rows_parallel_to_the_input(int rows, int dimension)
    {
        var random = new Random(4);
        var vectors = Enumerable.Range(0, rows * dimension).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray();
        var original = vectors.ToArray();

        EmbeddingKernels.NormalizeRows(vectors, dimension);

        for (var r = 0; r < rows; r++)
        {
            var row = vectors.AsSpan(r * dimension, dimension);
            var norm = Math.Sqrt(TestData.Dot(row, row));
            Assert.Equal(1.0, norm, 5);
            var originalNorm = Math.Sqrt(TestData.Dot(original.AsSpan(r * dimension, dimension), original.AsSpan(r * dimension, dimension)));
            Assert.Equal(original[r * dimension] / originalNorm, row[0], 5);
        }
    }

    [Fact]
    public void NormalizeRows_leaves_an_all_zero_row_zero_instead_of_nan()
    {
        var vectors = new float[] { 0, 0, 0, 3, 4, 0 };

        EmbeddingKernels.NormalizeRows(vectors, 3);

        Assert.Equal([0f, 0f, 0f, 0.6f, 0.8f, 0f], vectors);
    }

    [Theory]
    [InlineData(10, 3, 0, 4)]
    [InlineData(10, 3, 3, 4)]
    [InlineData(37, 128, 1, 4)]
    [InlineData(5, 16, 0, 1)]
    [InlineData(5, 16, 7, 2)]
    public void GatherStrided_copies_every_step_th_pixel_from_the_start(int pixels, int bands, int start, int step)
    {
        var source = Bytes(pixels * bands, 5);
        var destination = new byte[pixels * bands];

        var taken = EmbeddingKernels.GatherStrided<byte>(source, bands, start, step, destination);

        var expectedPixels = Enumerable.Range(0, pixels).Where(p => p >= start && (p - start) % step == 0).ToArray();
        Assert.Equal(expectedPixels.Length, taken);
        for (var k = 0; k < taken; k++)
        {
            Assert.Equal(source.AsSpan(expectedPixels[k] * bands, bands).ToArray(), destination.AsSpan(k * bands, bands).ToArray());
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(128)]
    [InlineData(131)]
    public void IsAll_for_floats_is_true_only_when_every_value_matches_and_nan_matches_nan(int length)
    {
        var zeros = new float[length];
        var negativeZeros = Enumerable.Repeat(-0f, length).ToArray();
        var nans = Enumerable.Repeat(float.NaN, length).ToArray();
        var lastDiffers = new float[length];
        lastDiffers[^1] = 1e-30f;
        var oneNan = new float[length];
        oneNan[length / 2] = float.NaN;

        Assert.True(EmbeddingKernels.IsAll(zeros, 0f));
        Assert.True(EmbeddingKernels.IsAll(negativeZeros, 0f));
        Assert.True(EmbeddingKernels.IsAll(nans, float.NaN));
        Assert.False(EmbeddingKernels.IsAll(lastDiffers, 0f));
        Assert.False(EmbeddingKernels.IsAll(oneNan, 0f));
        Assert.False(EmbeddingKernels.IsAll(oneNan, float.NaN));
        Assert.False(EmbeddingKernels.IsAll(zeros, float.NaN));
    }

    [Fact]
    public void IsAll_for_bytes_detects_a_single_differing_value_anywhere()
    {
        for (var i = 0; i < 130; i++)
        {
            var values = new byte[130];
            values[i] = 9;
            Assert.False(EmbeddingKernels.IsAll(values, 0));
        }

        Assert.True(EmbeddingKernels.IsAll(new byte[130], 0));
    }

    [Fact]
    public void A_destination_too_short_is_refused()
    {
        Assert.Throws<ArgumentException>(() => EmbeddingKernels.ConvertUInt8(new byte[10], new float[9]));
        Assert.Throws<ArgumentException>(() => EmbeddingKernels.DequantizeInt8(new sbyte[10], 1f, new float[9]));
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
