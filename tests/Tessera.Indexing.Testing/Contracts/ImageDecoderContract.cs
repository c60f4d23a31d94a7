using Tessera.Indexing.Imaging;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="IImageDecoder"/> must do, from the interface's documentation: lossless images decode to their
/// exact RGB pixels whether read from bytes or from a path; <see cref="ImageDecodeOptions"/> scales the shorter side and
/// crops the centre; anything that is not a readable image (missing, empty, garbage, truncated) is an
/// <see cref="ImageDecodeException"/> naming where it came from; decoding is thread-safe.
/// </summary>
/// <remarks>A concrete test class supplies the decoder and a lossless encoder for test images (PNG, for example).</remarks>
public abstract class ImageDecoderContract : IDisposable
{
    private readonly TempDirectory _dir = new("tessera-decoder-contract");

    /// <summary>The decoder under test.</summary>
    /// <returns>A decoder.</returns>
    protected abstract IImageDecoder CreateDecoder();

    /// <summary>Encodes <paramref name="image"/> losslessly in a format the decoder reads.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The file's bytes.</returns>
    protected abstract byte[] EncodeLossless(RgbImage image);

    /// <summary>The file extension of <see cref="EncodeLossless"/>'s format, with the dot.</summary>
    protected virtual string Extension => ".png";

    [Fact]
    public void Bytes_decode_to_the_exact_pixels_and_size()
    {
        var image = ContractImages.Create(37, 23, seed: 1);

        var decoded = CreateDecoder().Decode(EncodeLossless(image));

        Assert.Equal(37, decoded.Width);
        Assert.Equal(23, decoded.Height);
        Assert.Equal(image.Pixels.ToArray(), decoded.Pixels.ToArray());
    }

    [Fact]
    public async Task A_path_decodes_like_its_bytes()
    {
        var image = ContractImages.Create(20, 30, seed: 2);
        var path = Write("two", EncodeLossless(image));
        var decoder = CreateDecoder();

        var fromPath = await decoder.DecodeAsync(path);

        Assert.Equal(image.Pixels.ToArray(), fromPath.Pixels.ToArray());
        Assert.Equal((20, 30), (fromPath.Width, fromPath.Height));
    }

    [Theory]
    [InlineData(64, 48, 24, null, null, 32, 24)]
    [InlineData(48, 64, 24, null, null, 24, 32)]
    [InlineData(64, 48, 24, 20, 10, 20, 10)]
    [InlineData(30, 30, null, 10, 12, 10, 12)]
    public void Options_scale_the_shorter_side_then_crop_the_centre(int width, int height, int? shortest, int? cropWidth, int? cropHeight, int expectedWidth, int expectedHeight)
    {
        var image = Uniform(width, height, 200, 40, 90);

        var decoded = CreateDecoder().Decode(EncodeLossless(image), new ImageDecodeOptions { ShortestSide = shortest, CropWidth = cropWidth, CropHeight = cropHeight });

        Assert.Equal((expectedWidth, expectedHeight), (decoded.Width, decoded.Height));
        Assert.Equal(expectedWidth * expectedHeight * 3, decoded.Pixels.Length);
        var pixels = decoded.Pixels.Span;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            Assert.InRange(pixels[i], 199, 201);
            Assert.InRange(pixels[i + 1], 39, 41);
            Assert.InRange(pixels[i + 2], 89, 91);
        }
    }

    [Fact]
    public void A_centre_crop_without_scaling_keeps_the_centre_pixels()
    {
        var image = ContractImages.Create(9, 7, seed: 3);

        var decoded = CreateDecoder().Decode(EncodeLossless(image), new ImageDecodeOptions { CropWidth = 3, CropHeight = 3 });

        var source = image.Pixels.Span;
        var pixels = decoded.Pixels.Span;
        for (var y = 0; y < 3; y++)
        {
            for (var x = 0; x < 3; x++)
            {
                var s = (((y + 2) * 9) + x + 3) * 3;
                var d = ((y * 3) + x) * 3;
                Assert.Equal(source.Slice(s, 3).ToArray(), pixels.Slice(d, 3).ToArray());
            }
        }
    }

    [Fact]
    public async Task A_missing_file_is_an_image_decode_exception_naming_it()
    {
        var path = Path.Combine(_dir.Path, "missing" + Extension);

        var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await CreateDecoder().DecodeAsync(path));

        Assert.Equal(path, error.Location);
        Assert.Equal("ImageDecode", error.ErrorKind);
    }

    [Fact]
    public async Task Empty_garbage_and_truncated_files_are_image_decode_exceptions()
    {
        var good = EncodeLossless(ContractImages.Create(16, 16, seed: 4));
        var decoder = CreateDecoder();
        byte[][] bad = [[], "not an image at all"u8.ToArray(), good[..(good.Length / 3)]];

        foreach (var bytes in bad)
        {
            var path = Write("bad" + bytes.Length, bytes);
            Assert.Throws<ImageDecodeException>(() => decoder.Decode(bytes));
            var error = await Assert.ThrowsAsync<ImageDecodeException>(async () => await decoder.DecodeAsync(path));
            Assert.Equal(path, error.Location);
        }
    }

    [Fact]
    public async Task Concurrent_decodes_give_the_same_pixels()
    {
        var decoder = CreateDecoder();
        var images = Enumerable.Range(10, 8).Select(seed => ContractImages.Create(24 + seed, 16, seed)).ToArray();
        var encoded = images.Select(EncodeLossless).ToArray();

        var decoded = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => decoder.Decode(encoded[i % encoded.Length]))));

        for (var i = 0; i < decoded.Length; i++)
        {
            Assert.Equal(images[i % images.Length].Pixels.ToArray(), decoded[i].Pixels.ToArray());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name + Extension);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static RgbImage Uniform(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }

        return new RgbImage(width, height, pixels);
    }
}
