using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Images;

public sealed class GdalImageDecoderTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-gdal-images");
    private readonly GdalImageDecoder _decoder = new();

    public void Dispose() => _temp.Dispose();

    // Formats ---------------------------------------------------------------------------------

    [Fact]
    public void A_png_decodes_to_exactly_its_pixels()
    {
        var pixels = ImageFixtures.Noise(37 * 23 * 3);
        var png = ImageFixtures.Encode("PNG", 37, 23, 3, pixels);

        var image = _decoder.Decode(png);

        Assert.Equal((37, 23), (image.Width, image.Height));
        Assert.Equal(pixels, image.Pixels.ToArray());
    }

    [Fact]
    public void A_lossless_webp_decodes_to_exactly_its_pixels()
    {
        Assert.True(GdalRuntime.HasDriver("WEBP"), "Debian's GDAL has the WEBP driver");
        var pixels = ImageFixtures.Noise(31 * 17 * 3, seed: 3);
        var webp = ImageFixtures.Encode("WEBP", 31, 17, 3, pixels, "LOSSLESS=TRUE");

        var image = _decoder.Decode(webp);

        Assert.Equal("RIFF"u8.ToArray(), webp[..4]);
        Assert.Equal(pixels, image.Pixels.ToArray());
    }

    [Fact]
    public void A_jpeg_decodes_close_to_its_pixels()
    {
        var pixels = ImageFixtures.WideStripes(64, 32);
        var jpeg = ImageFixtures.Encode("JPEG", 64, 32, 3, pixels, "QUALITY=95");

        var image = _decoder.Decode(jpeg);

        Assert.Equal((64, 32), (image.Width, image.Height));
        Assert.Equal(0xFF, jpeg[0]);
        Assert.Equal(0xD8, jpeg[1]);
        var error = 0.0;
        var decoded = image.Pixels.Span;
        for (var i = 0; i < pixels.Length; i++)
        {
            error += Math.Abs(decoded[i] - pixels[i]);
        }

        Assert.True(error / pixels.Length < 6, $"mean absolute error {error / pixels.Length:F2}");
    }

    [Fact]
    public async Task A_local_file_path_decodes_like_its_bytes()
    {
        var png = ImageFixtures.Encode("PNG", 50, 30, 3, ImageFixtures.Noise(50 * 30 * 3, seed: 11));
        var path = _temp.File("photo.png");
        await File.WriteAllBytesAsync(path, png);

        var fromFile = await _decoder.DecodeAsync(path, ImageDecodeOptions.Clip224);

        Assert.Equal(_decoder.Decode(png, ImageDecodeOptions.Clip224).Pixels.ToArray(), fromFile.Pixels.ToArray());
    }

    // Colour models -------------------------------------------------------------------------

    [Fact]
    public void A_grayscale_image_is_replicated_to_rgb()
    {
        var gray = ImageFixtures.Noise(20 * 10, seed: 5);
        var image = _decoder.Decode(ImageFixtures.Encode("PNG", 20, 10, 1, gray));

        var rgb = image.Pixels.Span;
        for (var i = 0; i < gray.Length; i++)
        {
            Assert.Equal((gray[i], gray[i], gray[i]), (rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]));
        }
    }

    [Fact]
    public void A_grayscale_image_with_alpha_keeps_the_gray_and_drops_the_alpha()
    {
        var pixels = new byte[] { 10, 255, 200, 0, 90, 128 };
        var image = _decoder.Decode(ImageFixtures.Encode("PNG", 3, 1, 2, pixels));

        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200, 90, 90, 90 }, image.Pixels.ToArray());
    }

    [Fact]
    public void An_rgba_image_drops_the_alpha_channel()
    {
        var rgba = ImageFixtures.Noise(16 * 8 * 4, seed: 9);
        var image = _decoder.Decode(ImageFixtures.Encode("PNG", 16, 8, 4, rgba));

        var expected = new byte[16 * 8 * 3];
        for (var i = 0; i < 16 * 8; i++)
        {
            rgba.AsSpan(i * 4, 3).CopyTo(expected.AsSpan(i * 3));
        }

        Assert.Equal(expected, image.Pixels.ToArray());
    }

    [Fact]
    public void A_palette_image_is_expanded_through_its_colour_table()
    {
        var image = _decoder.Decode(ImageFixtures.PalettePng());

        Assert.Equal((40, 20), (image.Width, image.Height));
        Assert.Equal((250, 120, 10), ImageFixtures.At(image, 0, 0));
        Assert.Equal((250, 120, 10), ImageFixtures.At(image, 19, 19));
        Assert.Equal((0, 128, 128), ImageFixtures.At(image, 20, 0));
        Assert.Equal((0, 128, 128), ImageFixtures.At(image, 39, 19));
    }

    [Fact]
    public void A_resized_palette_image_resamples_colours_not_indices()
    {
        var image = _decoder.Decode(ImageFixtures.PalettePng(), new ImageDecodeOptions { ShortestSide = 10 });

        Assert.Equal((20, 10), (image.Width, image.Height));
        Assert.Equal((250, 120, 10), ImageFixtures.At(image, 2, 5));
        Assert.Equal((0, 128, 128), ImageFixtures.At(image, 17, 5));
        // Output pixels 9 and 10 straddle the boundary: blends of orange and teal, never index 1's near-black.
        foreach (var x in new[] { 9, 10 })
        {
            var (r, g, b) = ImageFixtures.At(image, x, 5);
            Assert.InRange(r, 10, 240);
            Assert.InRange(g, 119, 129);
            Assert.InRange(b, 11, 127);
        }
    }

    [Fact]
    public void A_16_bit_image_is_scaled_to_8_bits()
    {
        var png = ImageFixtures.EncodePng16(4, 1, 1, [0, 65535, 128 * 257, 1000]);

        var image = _decoder.Decode(png);

        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255, 128, 128, 128, 4, 4, 4 }, image.Pixels.ToArray());
    }

    // Resize and crop -----------------------------------------------------------------------

    [Fact]
    public void A_400x200_image_becomes_224x224_showing_its_centre()
    {
        var png = ImageFixtures.Encode("PNG", 400, 200, 3, ImageFixtures.WideStripes());

        var image = _decoder.Decode(png, ImageDecodeOptions.Clip224);

        Assert.Equal((224, 224), (image.Width, image.Height));
        // The crop keeps source columns 100-299: red on the left, blue on the right, none of the green edges.
        Assert.Equal((255, 0, 0), ImageFixtures.At(image, 10, 10));
        Assert.Equal((0, 0, 255), ImageFixtures.At(image, 213, 10));
        Assert.Equal((128, 0, 0), ImageFixtures.At(image, 10, 213));
        Assert.Equal((0, 0, 128), ImageFixtures.At(image, 213, 213));
        // The edge columns blend a little of the green just outside the crop, as resize-then-crop does;
        // everything inside is free of it (a crop taken in the wrong place would show green bands).
        for (var y = 0; y < 224; y++)
        {
            Assert.InRange(ImageFixtures.At(image, 0, y).G, 1, 31);
            Assert.InRange(ImageFixtures.At(image, 223, y).G, 1, 31);
            for (var x = 1; x < 223; x++)
            {
                Assert.True(ImageFixtures.At(image, x, y).G == 0, $"green at ({x}, {y})");
            }
        }
    }

    [Fact]
    public void The_colour_boundaries_land_where_the_scaled_geometry_puts_them()
    {
        var png = ImageFixtures.Encode("PNG", 400, 200, 3, ImageFixtures.WideStripes());

        var image = _decoder.Decode(png, ImageDecodeOptions.Clip224);

        // Red/blue boundary at source x = 200 -> scaled x 224 -> output x 224 - 112 = 112.
        Assert.Equal((255, 0, 0), ImageFixtures.At(image, 110, 50));
        Assert.Equal((0, 0, 255), ImageFixtures.At(image, 113, 50));
        // Bright/dark boundary at source y = 100 -> output y 112.
        Assert.Equal((255, 0, 0), ImageFixtures.At(image, 50, 110));
        Assert.Equal((128, 0, 0), ImageFixtures.At(image, 50, 113));
    }

    [Fact]
    public void A_tall_image_is_cropped_vertically()
    {
        // Transpose the wide pattern: rows now carry the colours.
        var wide = ImageFixtures.WideStripes();
        var tall = new byte[wide.Length];
        for (var y = 0; y < 200; y++)
        {
            for (var x = 0; x < 400; x++)
            {
                wide.AsSpan(((y * 400) + x) * 3, 3).CopyTo(tall.AsSpan(((x * 200) + y) * 3));
            }
        }

        var image = _decoder.Decode(ImageFixtures.Encode("PNG", 200, 400, 3, tall), ImageDecodeOptions.Clip224);

        Assert.Equal((224, 224), (image.Width, image.Height));
        Assert.Equal((255, 0, 0), ImageFixtures.At(image, 10, 10));
        Assert.Equal((0, 0, 255), ImageFixtures.At(image, 10, 213));
        Assert.Equal((128, 0, 0), ImageFixtures.At(image, 213, 10));
    }

    [Fact]
    public void Shortest_side_alone_keeps_the_aspect_ratio()
    {
        var png = ImageFixtures.Encode("PNG", 400, 200, 3, ImageFixtures.WideStripes());

        var image = _decoder.Decode(png, new ImageDecodeOptions { ShortestSide = 100 });

        Assert.Equal((200, 100), (image.Width, image.Height));
        Assert.Equal((0, 255, 0), ImageFixtures.At(image, 5, 5));
        Assert.Equal((255, 0, 0), ImageFixtures.At(image, 75, 5));
    }

    [Fact]
    public void A_crop_without_resizing_takes_the_centre_pixels_exactly()
    {
        var pixels = ImageFixtures.Noise(40 * 30 * 3, seed: 13);
        var png = ImageFixtures.Encode("PNG", 40, 30, 3, pixels);

        var image = _decoder.Decode(png, new ImageDecodeOptions { CropWidth = 10, CropHeight = 6 });

        var expected = new byte[10 * 6 * 3];
        for (var y = 0; y < 6; y++)
        {
            pixels.AsSpan((((y + 12) * 40) + 15) * 3, 30).CopyTo(expected.AsSpan(y * 30));
        }

        Assert.Equal(expected, image.Pixels.ToArray());
    }

    [Fact]
    public void A_crop_larger_than_the_image_is_a_decode_failure()
    {
        var png = ImageFixtures.Encode("PNG", 20, 20, 3, new byte[20 * 20 * 3]);

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(png, new ImageDecodeOptions { CropWidth = 32, CropHeight = 32 }));

        Assert.Contains("smaller than the 32x32 crop", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_sizes_in_the_options_are_rejected()
    {
        var png = ImageFixtures.Encode("PNG", 4, 4, 3, new byte[48]);

        Assert.Throws<ArgumentOutOfRangeException>(() => _decoder.Decode(png, new ImageDecodeOptions { ShortestSide = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _decoder.Decode(png, new ImageDecodeOptions { CropWidth = -1 }));
    }

    [Fact]
    public void An_image_larger_than_MaxPixels_is_rejected()
    {
        var decoder = new GdalImageDecoder(Options.Create(new GdalImageDecoderOptions { MaxPixels = 100 }));
        var png = ImageFixtures.Encode("PNG", 20, 10, 3, new byte[600]);

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(png));

        Assert.Contains("more than the 100 pixels allowed", error.Reason, StringComparison.Ordinal);
        Assert.Equal((10, 5), (decoder.Decode(png, new ImageDecodeOptions { ShortestSide = 5 }).Width, 5));
    }

    // Failures ------------------------------------------------------------------------------

    [Fact]
    public void Random_bytes_are_not_an_image()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ImageFixtures.Noise(5000)));

        Assert.StartsWith("not an image in a supported format", error.Reason, StringComparison.Ordinal);
        Assert.IsType<GdalException>(error.InnerException);
    }

    [Fact]
    public void No_bytes_are_not_an_image()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(ReadOnlySpan<byte>.Empty));

        Assert.Equal("no bytes", error.Reason);
    }

    [Theory]
    [InlineData("PNG")]
    [InlineData("JPEG")]
    [InlineData("WEBP")]
    public void A_truncated_image_is_a_decode_failure(string driver)
    {
        var encoded = ImageFixtures.Encode(driver, 64, 64, 3, ImageFixtures.Noise(64 * 64 * 3, seed: 21));

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(encoded.AsSpan(0, encoded.Length * 2 / 3)));

        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    [Fact]
    public void A_png_with_corrupt_image_data_is_a_decode_failure()
    {
        var png = ImageFixtures.Encode("PNG", 64, 64, 3, ImageFixtures.Noise(64 * 64 * 3, seed: 22));
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        png.AsSpan(idat + 20, 64).Fill(0x5A);

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(png));

        Assert.StartsWith("corrupt or truncated image", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_is_refused_without_being_opened()
    {
        var path = _temp.File("pipe.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening a FIFO for reading would block until a writer comes; the guard only stops a regression from hanging the run.
        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(path).AsTask().WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Contains("not a regular file", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_file_is_refused_as_not_an_image()
    {
        var path = _temp.File("empty.png");
        await File.WriteAllBytesAsync(path, []);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(path));

        Assert.Contains("empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_decode_failure_naming_it()
    {
        var path = _temp.File("missing.jpg");

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(path));

        Assert.Equal(path, error.Location);
        Assert.Equal("the file does not exist", error.Reason);
    }

    [Fact]
    public async Task A_text_file_is_not_an_image()
    {
        var path = _temp.File("readme.jpg");
        await File.WriteAllTextAsync(path, "hello, I am text pretending to be a JPEG\n");

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await _decoder.DecodeAsync(path));

        Assert.StartsWith("not an image in a supported format", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_format_outside_the_allowed_drivers_is_unsupported()
    {
        var decoder = new GdalImageDecoder(Options.Create(new GdalImageDecoderOptions { AllowedDrivers = ["JPEG"] }));
        var png = ImageFixtures.Encode("PNG", 8, 8, 3, new byte[192]);

        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(png));

        Assert.StartsWith("not an image in a supported format", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_float_raster_is_an_unsupported_pixel_type()
    {
        var path = _temp.File("float.tif");
        using (var writer = Tessera.Indexing.Gdal.Rasters.GdalRasterWriter.CreateGeoTiff(path, 4, 4, 3, Tessera.Indexing.Rasters.RasterDataType.Float32))
        {
            writer.WriteWindow<float>(0, 0, 4, 4, new float[48]);
        }

        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(File.ReadAllBytes(path)));

        Assert.StartsWith("unsupported pixel type Float32", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_decodes_return_each_images_own_pixels()
    {
        var images = Enumerable.Range(0, 8).Select(i => ImageFixtures.Noise(30 * 20 * 3, seed: 100 + i)).ToArray();
        var encoded = images.Select(p => ImageFixtures.Encode("PNG", 30, 20, 3, p)).ToArray();

        var mismatches = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            if (!_decoder.Decode(encoded[i % 8]).Pixels.Span.SequenceEqual(images[i % 8]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
