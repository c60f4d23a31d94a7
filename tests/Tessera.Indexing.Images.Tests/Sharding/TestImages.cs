using System.Buffers.Binary;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>
/// Images made in code, and a tiny file format for them ("TRGB": magic, width, height, pixels) with
/// its decoder, so the pipeline's tests need no image codec.
/// </summary>
internal static class TestImages
{
    private static readonly byte[] Magic = "TRGB"u8.ToArray();

    /// <summary>A random image of a few colour blocks; distinct seeds give distinct colour histograms.</summary>
    public static RgbImage Blocks(int seed, int width = 24, int height = 16)
    {
        var random = new Random(seed);
        var palette = new byte[4][];
        for (var i = 0; i < palette.Length; i++)
        {
            palette[i] = [(byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)];
        }

        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var colour = palette[((x * 4 / width) + (y * 2 / height) * 2 + seed) % palette.Length];
                colour.CopyTo(pixels, ((y * width) + x) * 3);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>A single-colour image.</summary>
    public static RgbImage Solid(byte r, byte g, byte b, int width = 8, int height = 8)
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

    /// <summary>Random pixels.</summary>
    public static RgbImage Noise(int seed, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    public static void Write(string path, RgbImage image)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[12 + image.Pixels.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), image.Height);
        image.Pixels.Span.CopyTo(bytes.AsSpan(12));
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Decodes the test format; reports missing, unsupported and truncated files as <see cref="ImageDecodeException"/>.</summary>
    public sealed class Decoder : IImageDecoder
    {
        private int _decoded;

        public int Decoded => _decoded;

        public async ValueTask<RgbImage> DecodeAsync(string location, ImageDecodeOptions? options = null, CancellationToken cancellationToken = default)
        {
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(location, cancellationToken);
            }
            catch (IOException e)
            {
                throw new ImageDecodeException(location, "the file does not exist or cannot be read", e);
            }

            Interlocked.Increment(ref _decoded);
            return DecodeBytes(bytes, location);
        }

        public RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions? options = null) => DecodeBytes(encoded, "<memory>");

        private static RgbImage DecodeBytes(ReadOnlySpan<byte> bytes, string location)
        {
            if (bytes.Length < 12 || !bytes[..4].SequenceEqual(Magic))
            {
                throw new ImageDecodeException(location, "not a supported image format");
            }

            var width = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
            var height = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
            if (width < 1 || height < 1 || bytes.Length - 12 != (long)width * height * 3)
            {
                throw new ImageDecodeException(location, "the image data is truncated or corrupt");
            }

            return new RgbImage(width, height, bytes[12..].ToArray());
        }
    }
}
