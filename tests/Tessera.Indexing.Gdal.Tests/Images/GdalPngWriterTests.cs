using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Images;

public sealed class GdalPngWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-gdal-png");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Written_pngs_of_1_3_and_4_bands_are_read_by_python_gdal_with_the_same_pixels()
    {
        int[] bandCounts = [1, 3, 4];
        var pixels = bandCounts.Select(b => ImageFixtures.Noise(23 * 11 * b, seed: b)).ToArray();
        var paths = bandCounts.Select(b => _temp.File($"heat-{b}.png")).ToArray();

        for (var i = 0; i < bandCounts.Length; i++)
        {
            GdalPngWriter.Write(paths[i], 23, 11, bandCounts[i], pixels[i]);
        }

        const string script = """
            import json, sys
            from osgeo import gdal
            import numpy as np
            out = []
            for path in sys.argv[1:]:
                ds = gdal.Open(path)
                a = ds.ReadAsArray()
                if a.ndim == 2: a = a[None]
                out.append({'driver': ds.GetDriver().ShortName, 'bands': ds.RasterCount,
                            'pixels': [int(v) for v in np.transpose(a, (1, 2, 0)).reshape(-1)]})
            print(json.dumps(out))
            """;
        var python = Python.RunJson(script, paths).EnumerateArray().ToArray();
        for (var i = 0; i < bandCounts.Length; i++)
        {
            Assert.Equal("PNG", python[i].GetProperty("driver").GetString());
            Assert.Equal(bandCounts[i], python[i].GetProperty("bands").GetInt32());
            Assert.Equal(pixels[i].Select(p => (int)p), python[i].GetProperty("pixels").EnumerateArray().Select(e => e.GetInt32()));
            Assert.False(File.Exists(paths[i] + ".aux.xml"));
        }
    }

    [Fact]
    public void Encode_returns_png_bytes_that_decode_to_the_same_pixels()
    {
        var pixels = ImageFixtures.Noise(16 * 9 * 3, seed: 4);

        var png = GdalPngWriter.Encode(16, 9, 3, pixels);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(pixels, new GdalImageDecoder().Decode(png).Pixels.ToArray());
    }

    [Fact]
    public void A_pixel_count_that_does_not_match_the_size_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => GdalPngWriter.Encode(4, 4, 3, new byte[47]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GdalPngWriter.Encode(4, 4, 5, new byte[80]));
    }

    [Fact]
    public void Writing_into_a_missing_folder_throws_GdalException()
    {
        var path = Path.Combine(_temp.Path, "missing", "x.png");

        Assert.Throws<GdalException>(() => GdalPngWriter.Write(path, 2, 2, 1, new byte[4]));
    }
}
