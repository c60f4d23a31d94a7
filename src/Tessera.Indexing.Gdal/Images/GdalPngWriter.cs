using Tessera.Indexing.Gdal.Interop.Gdal;

namespace Tessera.Indexing.Gdal.Images;

/// <summary>
/// Writes 8-bit PNGs through GDAL's PNG driver (an in-memory <c>MEM</c> dataset copied with
/// <c>GDALCreateCopy</c>): heat maps, previews. 1 band is grey, 2 grey + alpha, 3 RGB, 4 RGBA.
/// </summary>
public static class GdalPngWriter
{
    /// <summary>Writes a PNG file (overwriting one that exists).</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="bandCount">1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="pixels"><c>width * height * bandCount</c> bytes, pixel-interleaved, row-major.</param>
    /// <exception cref="GdalException">GDAL could not write the file (the message is GDAL's).</exception>
    public static void Write(string path, int width, int height, int bandCount, ReadOnlySpan<byte> pixels)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate(width, height, bandCount, pixels);
        using var memory = ToMemoryDataset(width, height, bandCount, pixels);
        using var config = new ThreadLocalConfigScope().Set("GDAL_PAM_ENABLED", "NO");
        GdalProxy.CreateCopyAndClose("PNG", path, memory, []);
    }

    /// <summary>Encodes a PNG in memory (for an HTTP response, for example).</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="bandCount">1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="pixels"><c>width * height * bandCount</c> bytes, pixel-interleaved, row-major.</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="GdalException">GDAL could not encode the image.</exception>
    public static byte[] Encode(int width, int height, int bandCount, ReadOnlySpan<byte> pixels)
    {
        Validate(width, height, bandCount, pixels);
        using var memory = ToMemoryDataset(width, height, bandCount, pixels);
        using var config = new ThreadLocalConfigScope().Set("GDAL_PAM_ENABLED", "NO");
        var path = $"/vsimem/tessera-png-{Guid.NewGuid():N}.png";
        try
        {
            GdalProxy.CreateCopyAndClose("PNG", path, memory, []);
            return GdalProxy.SeizeMemoryFile(path);
        }
        finally
        {
            GdalProxy.Unlink(path);
        }
    }

    private static void Validate(int width, int height, int bandCount, ReadOnlySpan<byte> pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bandCount, 4);
        if (pixels.Length != (long)width * height * bandCount)
        {
            throw new ArgumentException($"Expected {(long)width * height * bandCount} bytes for a {width}x{height} image of {bandCount} bands, got {pixels.Length}.", nameof(pixels));
        }
    }

    private static GdalDatasetHandle ToMemoryDataset(int width, int height, int bandCount, ReadOnlySpan<byte> pixels)
    {
        var memory = GdalProxy.Create("MEM", string.Empty, width, height, bandCount, GdalDataType.Byte, []);
        try
        {
            GdalProxy.Write(memory, (0, 0, width, height), pixels, GdalDataType.Byte, bandCount, (bandCount, (long)bandCount * width, 1));
            return memory;
        }
        catch
        {
            GdalProxy.Close(memory);
            throw;
        }
    }
}
