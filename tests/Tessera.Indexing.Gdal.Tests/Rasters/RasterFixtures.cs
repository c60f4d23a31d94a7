using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

/// <summary>GeoTIFFs written through <see cref="GdalRasterWriter"/> with a known value at every pixel and band.</summary>
internal static class RasterFixtures
{
    public static readonly GeoTransform Transform = new(0.125, 0.001, 0, 52.25, 0, -0.001);

    /// <summary>The pattern's value for band <paramref name="band"/> of pixel (<paramref name="row"/>, <paramref name="col"/>) as a double.</summary>
    public static double Value(RasterDataType type, int row, int col, int band) => type switch
    {
        RasterDataType.Byte => ((row * 7) + (col * 13) + (band * 31)) & 255,
        RasterDataType.Int8 => (sbyte)(byte)(((row * 7) + (col * 13) + (band * 31)) & 255),
        RasterDataType.Float32 => (float)((row * 0.5) - (col * 0.25) + (band * 1000.125)),
        _ => throw new NotSupportedException(type.ToString()),
    };

    /// <summary>The expected pixel-interleaved window as doubles, with the nodata rectangle applied.</summary>
    public static double[] Expected(RasterDataType type, int bands, int x, int y, int width, int height, double? noData = null, (int X, int Y, int Width, int Height)? noDataRegion = null)
    {
        var result = new double[width * height * bands];
        for (var r = 0; r < height; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var inHole = noDataRegion is { } hole && x + c >= hole.X && x + c < hole.X + hole.Width && y + r >= hole.Y && y + r < hole.Y + hole.Height;
                for (var b = 0; b < bands; b++)
                {
                    result[(((r * width) + c) * bands) + b] = inHole ? noData!.Value : Value(type, y + r, x + c, b);
                }
            }
        }

        return result;
    }

    /// <summary>Writes a GeoTIFF of the pattern in blocks of <paramref name="rowsPerWrite"/> rows.</summary>
    public static void Write(string path, RasterDataType type, int width, int height, int bands, GeoTiffWriteOptions options, (int X, int Y, int Width, int Height)? noDataRegion = null, int rowsPerWrite = 11)
    {
        using var writer = GdalRasterWriter.CreateGeoTiff(path, width, height, bands, type, options);
        for (var y = 0; y < height; y += rowsPerWrite)
        {
            var rows = Math.Min(rowsPerWrite, height - y);
            var values = Expected(type, bands, 0, y, width, rows, options.NoDataValue, noDataRegion);
            switch (type)
            {
                case RasterDataType.Byte:
                    writer.WriteWindow<byte>(0, y, width, rows, Array.ConvertAll(values, v => (byte)v));
                    break;
                case RasterDataType.Int8:
                    writer.WriteWindow<sbyte>(0, y, width, rows, Array.ConvertAll(values, v => (sbyte)v));
                    break;
                default:
                    writer.WriteWindow<float>(0, y, width, rows, Array.ConvertAll(values, v => (float)v));
                    break;
            }
        }

        writer.Complete();
    }

    /// <summary>Reads a window in the file's own element type and widens it to doubles.</summary>
    public static double[] Read(IRasterSource source, int x, int y, int width, int height)
    {
        var n = width * height * source.BandCount;
        switch (source.DataType)
        {
            case RasterDataType.Byte:
                {
                    var buffer = new byte[n];
                    source.ReadWindow<byte>(x, y, width, height, buffer);
                    return Array.ConvertAll(buffer, v => (double)v);
                }

            case RasterDataType.Int8:
                {
                    var buffer = new sbyte[n];
                    source.ReadWindow<sbyte>(x, y, width, height, buffer);
                    return Array.ConvertAll(buffer, v => (double)v);
                }

            default:
                {
                    var buffer = new float[n];
                    source.ReadWindow<float>(x, y, width, height, buffer);
                    return Array.ConvertAll(buffer, v => (double)v);
                }
        }
    }

    /// <summary>Index of the first differing element, or -1.</summary>
    public static int FirstDifference(double[] expected, double[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return Math.Min(expected.Length, actual.Length);
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                return i;
            }
        }

        return -1;
    }
}
