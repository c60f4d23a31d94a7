using System.Buffers.Binary;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Supabase.Tests.Support;

/// <summary>
/// Images made in code in a tiny format ("TRGB": magic, width, height, RGB pixels) and a decoder that
/// fetches them from http(s) URLs or files, so the end-to-end build needs no image codec.
/// </summary>
public sealed class TrgbImages : IImageDecoder, IDisposable
{
    private static readonly byte[] Magic = "TRGB"u8.ToArray();
    private readonly HttpClient _http = new();

    /// <summary>A few colour blocks; distinct seeds give distinct colour histograms.</summary>
    public static byte[] Encode(int seed, int width = 24, int height = 16)
    {
        var random = new Random(seed);
        var palette = Enumerable.Range(0, 4).Select(_ => new[] { (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256) }).ToArray();
        var bytes = new byte[12 + (width * height * 3)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                palette[((x * 4 / width) + ((y * 2 / height) * 2) + seed) % palette.Length].CopyTo(bytes, 12 + (((y * width) + x) * 3));
            }
        }

        return bytes;
    }

    public async ValueTask<RgbImage> DecodeAsync(string location, ImageDecodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try
        {
            bytes = location.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                ? await _http.GetByteArrayAsync(location, cancellationToken)
                : await File.ReadAllBytesAsync(location, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ImageDecodeException(location, $"cannot read: {e.Message}", e);
        }

        return Decode(bytes, location);
    }

    public RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions? options = null) => Decode(encoded.ToArray(), "(bytes)");

    public void Dispose() => _http.Dispose();

    private static RgbImage Decode(byte[] bytes, string location)
    {
        if (bytes.Length < 12 || !bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw new ImageDecodeException(location, "not a supported image format");
        }

        var width = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        var height = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (width <= 0 || height <= 0 || bytes.Length != 12 + (width * height * 3))
        {
            throw new ImageDecodeException(location, "truncated image");
        }

        return new RgbImage(width, height, bytes.AsMemory(12));
    }
}
