using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Tests.Mosaics;

/// <summary>GeoTIFF mosaics for the CLI tests, written through GDAL.</summary>
internal static class CliMosaics
{
    public static readonly GeoTransform Transform = new(77.5566, 8.983e-05, 0, 13.1039, 0, -8.983e-05);

    /// <summary>A Byte mosaic of a few noisy classes (values 1..255), tiled 64x64 and pixel-interleaved, with an all-zero top-left square.</summary>
    public static void WriteBytes(string path, int size, int bands, int zeroCorner = 0, bool georeferenced = true, int seed = 3)
    {
        var random = new Random(seed);
        var prototypes = new byte[4 * bands];
        random.NextBytes(prototypes);
        var options = new GeoTiffWriteOptions
        {
            TileSize = size >= 64 ? (64, 64) : null,
            NoDataValue = 0,
            GeoTransform = georeferenced ? Transform : null,
            EpsgCode = georeferenced ? 4326 : null,
        };
        using var writer = GdalRasterWriter.CreateGeoTiff(path, size, size, bands, RasterDataType.Byte, options);
        var row = new byte[size * bands];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var pixel = row.AsSpan(x * bands, bands);
                if (y < zeroCorner && x < zeroCorner)
                {
                    pixel.Clear();
                    continue;
                }

                var c = ((x / 16) + (y / 16)) % 4;
                for (var b = 0; b < bands; b++)
                {
                    pixel[b] = (byte)Math.Clamp(prototypes[(c * bands) + b] + random.Next(-12, 13), 1, 255);
                }
            }

            writer.WriteWindow<byte>(0, y, size, 1, row);
        }

        writer.Complete();
    }
}
