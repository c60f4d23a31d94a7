using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// A tile's landmask GeoTIFF as GeoTessera reads it: its CRS and geotransform are the tile's, and its
/// value per pixel says land (non-zero) or water (0).
/// </summary>
internal static class GeoTesseraLandmask
{
    /// <summary>Reads the landmask's georeferencing and, when <paramref name="readMask"/>, its land (true) / water (false) pixels.</summary>
    public static (GeoTransform Transform, RasterSpatialReference? Reference, bool[]? Land) Read(
        string landmaskPath, IRasterSourceFactory reader, int width, int height, string embeddingsPath, bool readMask)
    {
        IRasterSource landmask;
        try
        {
            landmask = reader.Open(landmaskPath);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"The landmask '{landmaskPath}' of '{embeddingsPath}' is not a raster the landmask reader opens: {e.Message}", e);
        }

        using (landmask)
        {
            if (landmask.Width != width || landmask.Height != height)
            {
                throw new InvalidDataException(
                    $"The landmask '{landmaskPath}' is {landmask.Width}x{landmask.Height} pixels; its tile '{embeddingsPath}' is {width}x{height}.");
            }

            if (landmask.GeoTransform is not { IsInvertible: true } transform)
            {
                throw new InvalidDataException($"The landmask '{landmaskPath}' has no usable geotransform.");
            }

            bool[]? land = null;
            if (readMask)
            {
                land = new bool[(long)width * height];
                var row = new byte[width * landmask.BandCount];
                for (var y = 0; y < height; y++)
                {
                    landmask.ReadWindow<byte>(0, y, width, 1, row);
                    for (var x = 0; x < width; x++)
                    {
                        land[((long)y * width) + x] = row[x * landmask.BandCount] != 0;
                    }
                }
            }

            return (transform, landmask.SpatialReference, land);
        }
    }
}
