using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;
using Tessera.Indexing.Onnx.Preprocessing;
using Tessera.Indexing.Onnx.Tests.Reference;

namespace Tessera.Indexing.Onnx.Tests;

public sealed class ClipPreprocessorTests
{
    private static ClipPreprocessor Clip(int shortest, int crop, ImageResizeFilter filter = ImageResizeFilter.Bilinear) =>
        new(shortest, crop, ReferencePreprocessing.ClipMean, ReferencePreprocessing.ClipStd, filter);

    [Theory]
    [InlineData(640, 480, 224, 298, 224)]
    [InlineData(480, 640, 224, 224, 298)]
    [InlineData(224, 224, 224, 224, 224)]
    [InlineData(3, 1000, 224, 224, 74666)]
    public void Resized_size_keeps_the_aspect_ratio_and_truncates_the_long_side(int width, int height, int shortest, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ClipPreprocessor.ResizedSize(width, height, shortest));
    }

    [Fact]
    public void An_image_already_at_the_crop_size_is_only_normalised_into_nchw_planes()
    {
        var image = TestImages.Random(13, 13, seed: 1);
        var output = new float[3 * 13 * 13];

        Clip(13, 13).Process(image, output);

        var pixels = image.Pixels.Span;
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < 13 * 13; i++)
            {
                var expected = ((pixels[(i * 3) + c] / 255f) - ReferencePreprocessing.ClipMean[c]) / ReferencePreprocessing.ClipStd[c];
                Assert.Equal(expected, output[(c * 169) + i], 1e-5f);
            }
        }
    }

    [Theory]
    [InlineData(13, 40, 13, 13, ImageResizeFilter.Bilinear)] // shortest side already right: centre crop only (odd offset)
    [InlineData(41, 16, 16, 16, ImageResizeFilter.Bilinear)]
    [InlineData(37, 23, 8, 8, ImageResizeFilter.Bilinear)] // reduction
    [InlineData(640, 480, 24, 24, ImageResizeFilter.Bilinear)] // strong reduction
    [InlineData(5, 6, 9, 9, ImageResizeFilter.Bilinear)] // enlargement
    [InlineData(30, 20, 12, 7, ImageResizeFilter.Bilinear)] // resize larger than the crop
    [InlineData(33, 33, 16, 16, ImageResizeFilter.Bilinear)] // square reduction by a non-integer factor
    [InlineData(37, 23, 8, 8, ImageResizeFilter.Bicubic)]
    [InlineData(5, 6, 9, 9, ImageResizeFilter.Bicubic)]
    [InlineData(300, 200, 24, 20, ImageResizeFilter.Bicubic)]
    public void Output_matches_the_plain_reference(int width, int height, int shortest, int crop, ImageResizeFilter filter)
    {
        var image = TestImages.Random(width, height, seed: (width * 31) + height);
        var output = new float[3 * crop * crop];

        Clip(shortest, crop, filter).Process(image, output);

        var expected = ReferencePreprocessing.Preprocess(TestImages.Bytes(image), width, height, shortest, crop, filter: filter);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - output[i]) < 1e-4, $"element {i}: expected {expected[i]}, got {output[i]}");
        }
    }

    [Fact]
    public void Halving_a_horizontal_ramp_gives_the_ramp_at_the_new_pixel_centres()
    {
        // Pixel value 10·x. Halving with Pillow's bilinear filter averages source columns 2o−1..2o+2 with weights
        // 1/8, 3/8, 3/8, 1/8, i.e. the ramp's value at 2o + 0.5: 20·o + 5.
        const int Size = 16;
        var pixels = new byte[Size * Size * 3];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                pixels[(((y * Size) + x) * 3) + 0] = (byte)(10 * x);
            }
        }

        var output = new float[3 * 8 * 8];
        new ClipPreprocessor(8, 8, [0f, 0f, 0f], [1f / 255, 1f / 255, 1f / 255]).Process(new RgbImage(Size, Size, pixels), output);

        for (var y = 0; y < 8; y++)
        {
            for (var o = 1; o < 7; o++)
            {
                Assert.Equal((20 * o) + 5, output[(y * 8) + o], 1e-3f);
            }
        }
    }

    [Fact]
    public void A_constant_image_stays_constant_after_resizing()
    {
        var pixels = new byte[37 * 29 * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = 200;
            pixels[i + 1] = 100;
            pixels[i + 2] = 50;
        }

        var output = new float[3 * 10 * 10];
        Clip(11, 10).Process(new RgbImage(37, 29, pixels), output);

        for (var c = 0; c < 3; c++)
        {
            var expected = ((new[] { 200f, 100f, 50f }[c] / 255f) - ReferencePreprocessing.ClipMean[c]) / ReferencePreprocessing.ClipStd[c];
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal(expected, output[(c * 100) + i], 1e-4f);
            }
        }
    }

    [Fact]
    public void Deinterleave_matches_scalar_arithmetic_for_every_row_length()
    {
        var random = new Random(5);
        for (var n = 1; n < 40; n++)
        {
            var rgb = new byte[n * 3];
            random.NextBytes(rgb);
            var r = new float[n];
            var g = new float[n];
            var b = new float[n];

            PixelConversion.DeinterleaveScaled(rgb, r, g, b, [2f, 3f, 4f], [1f, -1f, 0.5f]);

            for (var i = 0; i < n; i++)
            {
                Assert.Equal((rgb[i * 3] * 2f) + 1f, r[i]);
                Assert.Equal((rgb[(i * 3) + 1] * 3f) - 1f, g[i]);
                Assert.Equal((rgb[(i * 3) + 2] * 4f) + 0.5f, b[i]);
            }
        }
    }

    [Fact]
    public void Byte_to_float_widening_matches_a_cast_for_every_length()
    {
        var random = new Random(6);
        for (var n = 1; n < 100; n++)
        {
            var bytes = new byte[n];
            random.NextBytes(bytes);
            var floats = new float[n];

            PixelConversion.ToSingle(bytes, floats);

            for (var i = 0; i < n; i++)
            {
                Assert.Equal(bytes[i], floats[i]);
            }
        }
    }
}
