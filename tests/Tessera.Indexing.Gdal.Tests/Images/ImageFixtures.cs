using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Images;

/// <summary>Encoded test images made with GDAL's own drivers (and Python's GDAL for palette images).</summary>
internal static class ImageFixtures
{
    /// <summary>Encodes 8-bit pixels (pixel-interleaved) with a GDAL driver (<c>PNG</c>, <c>JPEG</c>, <c>WEBP</c>…).</summary>
    public static byte[] Encode(string driver, int width, int height, int bands, byte[] pixels, params string[] options)
    {
        using var memory = GdalProxy.Create("MEM", string.Empty, width, height, bands, GdalDataType.Byte, []);
        GdalProxy.Write<byte>(memory, (0, 0, width, height), pixels, GdalDataType.Byte, bands, (bands, (long)bands * width, 1));
        var path = $"/vsimem/fixture-{Guid.NewGuid():N}";
        using var config = new ThreadLocalConfigScope().Set("GDAL_PAM_ENABLED", "NO");
        GdalProxy.CreateCopyAndClose(driver, path, memory, options);
        return GdalProxy.SeizeMemoryFile(path);
    }

    /// <summary>Encodes 16-bit pixels as a PNG.</summary>
    public static byte[] EncodePng16(int width, int height, int bands, ushort[] pixels)
    {
        using var memory = GdalProxy.Create("MEM", string.Empty, width, height, bands, GdalDataType.UInt16, []);
        GdalProxy.Write<ushort>(memory, (0, 0, width, height), pixels, GdalDataType.UInt16, bands, (bands * 2, (long)bands * 2 * width, 2));
        var path = $"/vsimem/fixture-{Guid.NewGuid():N}.png";
        using var config = new ThreadLocalConfigScope().Set("GDAL_PAM_ENABLED", "NO");
        GdalProxy.CreateCopyAndClose("PNG", path, memory, []);
        return GdalProxy.SeizeMemoryFile(path);
    }

    /// <summary>
    /// A 400x200 RGB pattern: columns 0-99 and 300-399 green, 100-199 red, 200-299 blue; the top 100
    /// rows at full intensity (255), the bottom 100 at half (128).
    /// </summary>
    public static byte[] WideStripes(int width = 400, int height = 200)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            var intensity = (byte)(y < height / 2 ? 255 : 128);
            for (var x = 0; x < width; x++)
            {
                var quarter = x * 4 / width;
                var channel = quarter switch { 1 => 0, 2 => 2, _ => 1 };
                pixels[(((y * width) + x) * 3) + channel] = intensity;
            }
        }

        return pixels;
    }

    /// <summary>Seeded random bytes.</summary>
    public static byte[] Noise(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// A palette PNG written by Python's GDAL: 40x20, the left half index 0 (orange 250,120,10), the
    /// right half index 2 (teal 0,128,128); index 1 is near-black (1,2,3), so resampling indices instead
    /// of colours would show it at the boundary.
    /// </summary>
    public static byte[] PalettePng() => PalettePngBytes.Value;

    private static readonly Lazy<byte[]> PalettePngBytes = new(WritePalettePng);

    private static byte[] WritePalettePng()
    {
        const string script = """
            import json, sys
            from osgeo import gdal
            import numpy as np
            mem = gdal.GetDriverByName('MEM').Create('', 40, 20, 1, gdal.GDT_Byte)
            ct = gdal.ColorTable()
            for i, c in enumerate([(250, 120, 10, 255), (1, 2, 3, 255), (0, 128, 128, 255), (4, 5, 6, 255)]):
                ct.SetColorEntry(i, c)
            band = mem.GetRasterBand(1)
            band.SetRasterColorTable(ct)
            band.SetRasterColorInterpretation(gdal.GCI_PaletteIndex)
            a = np.zeros((20, 40), dtype=np.uint8); a[:, 20:] = 2
            band.WriteArray(a)
            gdal.GetDriverByName('PNG').CreateCopy(sys.argv[1], mem)
            print(json.dumps({'ok': True}))
            """;
        using var temp = new TempDirectory("tessera-palette");
        var path = temp.File("palette.png");
        Python.RunJson(script, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>The RGB triple at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public static (byte R, byte G, byte B) At(Tessera.Indexing.Imaging.RgbImage image, int x, int y)
    {
        var span = image.Pixels.Span;
        var i = ((y * image.Width) + x) * 3;
        return (span[i], span[i + 1], span[i + 2]);
    }
}
