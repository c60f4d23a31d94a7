using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Tests;

/// <summary>Seeded test mosaics.</summary>
internal static class TestRasters
{
    /// <summary>
    /// A Byte mosaic of a few clustered "land-cover" classes (values 1..255, so no pixel is accidentally
    /// all zero), with an all-zero rectangle in the top-left corner of <paramref name="zeroCorner"/>×<paramref name="zeroCorner"/> pixels.
    /// </summary>
    public static InMemoryRaster<byte> Bytes(int width, int height, int bands, int zeroCorner = 0, int seed = 7, double? noData = null)
    {
        var random = new Random(seed);
        var classes = 4;
        var prototypes = new byte[classes * bands];
        for (var i = 0; i < prototypes.Length; i++)
        {
            prototypes[i] = (byte)random.Next(20, 236);
        }

        var data = new byte[width * height * bands];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var pixel = (y * width) + x;
                if (y < zeroCorner && x < zeroCorner)
                {
                    continue;
                }

                var c = ((x / 8) + (y / 8)) % classes;
                for (var b = 0; b < bands; b++)
                {
                    data[(pixel * bands) + b] = (byte)Math.Clamp(prototypes[(c * bands) + b] + random.Next(-15, 16), 1, 255);
                }
            }
        }

        return new InMemoryRaster<byte>(width, height, bands, data, RasterDataType.Byte) { NoDataValue = noData };
    }

    /// <summary>A Float32 mosaic of seeded values in [-1, 1).</summary>
    public static InMemoryRaster<float> Floats(int width, int height, int bands, int seed = 11)
    {
        var random = new Random(seed);
        var data = new float[width * height * bands];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return new InMemoryRaster<float>(width, height, bands, data, RasterDataType.Float32);
    }
}
