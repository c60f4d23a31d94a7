using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>
/// Writes a new multi-band GeoTIFF window by window from pixel-interleaved buffers (one
/// <c>GDALDatasetRasterIOEx</c> call per window, whatever the file's interleave and tiling). Used for
/// synthetic mosaics, test fixtures and result rasters.
/// </summary>
/// <remarks>
/// Not thread-safe: write from one thread at a time. Dispose (or <see cref="Complete"/>) to flush;
/// <see cref="Complete"/> reports a failed flush (a full disk) as a <see cref="GdalException"/>,
/// where <see cref="Dispose"/> cannot.
/// </remarks>
public sealed class GdalRasterWriter : IDisposable
{
    private readonly GdalDatasetHandle _dataset;

    // Int8 on GDAL before 3.7: a GDT_Byte file with PIXELTYPE=SIGNEDBYTE, written as raw bytes.
    private readonly bool _signedBytesAsByte;

    private GdalRasterWriter(string path, GdalDatasetHandle dataset, int width, int height, int bandCount, RasterDataType dataType, bool signedBytesAsByte)
    {
        Path = path;
        _dataset = dataset;
        Width = width;
        Height = height;
        BandCount = bandCount;
        DataType = dataType;
        _signedBytesAsByte = signedBytesAsByte;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of bands.</summary>
    public int BandCount { get; }

    /// <summary>The bands' data type.</summary>
    public RasterDataType DataType { get; }

    /// <summary>Creates (or overwrites) a GeoTIFF.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="bandCount">Number of bands (for example 128 for an embedding mosaic).</param>
    /// <param name="dataType">Band type; <see cref="RasterDataType.Int8"/> is written as GDAL 3.6 does (<c>PIXELTYPE=SIGNEDBYTE</c>) or as <c>GDT_Int8</c> on GDAL 3.7+.</param>
    /// <param name="options">Layout, compression and georeferencing; <see langword="null"/> for the defaults.</param>
    /// <returns>The writer; dispose it to close the file.</returns>
    /// <exception cref="GdalException">GDAL could not create the file (the message is GDAL's).</exception>
    public static GdalRasterWriter CreateGeoTiff(string path, int width, int height, int bandCount, RasterDataType dataType, GeoTiffWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bandCount, 1);
        if (dataType == RasterDataType.Unknown)
        {
            throw new ArgumentException("Choose a band data type.", nameof(dataType));
        }

        options ??= new GeoTiffWriteOptions();
        GdalLibrary.EnsureInitialized();
        var signedBytesAsByte = dataType == RasterDataType.Int8 && !GdalLibrary.SupportsInt8;
        var gdalType = signedBytesAsByte ? GdalDataType.Byte : GdalDataTypes.FromRaster(dataType);
        var creation = CreationOptions(options, dataType, signedBytesAsByte);

        var dataset = GdalProxy.Create("GTiff", path, width, height, bandCount, gdalType, creation.ToArray());
        try
        {
            if (options.GeoTransform is { } transform)
            {
                GdalProxy.SetGeoTransform(dataset, transform);
            }

            if (options.EpsgCode is { } epsg)
            {
                GdalProxy.SetSpatialReferenceFromEpsg(dataset, epsg);
            }
            else if (!string.IsNullOrWhiteSpace(options.SpatialReferenceWkt))
            {
                GdalProxy.SetSpatialReferenceFromWkt(dataset, options.SpatialReferenceWkt);
            }

            if (options.NoDataValue is { } noData)
            {
                for (var band = 1; band <= bandCount; band++)
                {
                    GdalProxy.SetNoDataValue(dataset, band, noData);
                }
            }

            return new GdalRasterWriter(path, dataset, width, height, bandCount, dataType, signedBytesAsByte);
        }
        catch
        {
            GdalProxy.Close(dataset);
            throw;
        }
    }

    private static List<string> CreationOptions(GeoTiffWriteOptions options, RasterDataType dataType, bool signedBytesAsByte)
    {
        var list = new List<string>
        {
            "BIGTIFF=IF_SAFER",
            "INTERLEAVE=" + (options.Interleave == GeoTiffInterleave.Band ? "BAND" : "PIXEL"),
        };
        if (options.TileSize is { } tile)
        {
            if (tile.Width < 16 || tile.Height < 16 || tile.Width % 16 != 0 || tile.Height % 16 != 0)
            {
                throw new ArgumentException($"GeoTIFF tiles must be multiples of 16 pixels; got {tile.Width}x{tile.Height}.", nameof(options));
            }

            list.Add("TILED=YES");
            list.Add(string.Create(CultureInfo.InvariantCulture, $"BLOCKXSIZE={tile.Width}"));
            list.Add(string.Create(CultureInfo.InvariantCulture, $"BLOCKYSIZE={tile.Height}"));
        }
        else if (options.RowsPerStrip is { } rows)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1, nameof(options));
            list.Add(string.Create(CultureInfo.InvariantCulture, $"BLOCKYSIZE={rows}"));
        }

        if (options.Compression != GeoTiffCompression.None)
        {
            list.Add("COMPRESS=" + (options.Compression == GeoTiffCompression.Lzw ? "LZW" : "DEFLATE"));
            var isFloat = dataType is RasterDataType.Float32 or RasterDataType.Float64;
            list.Add(isFloat ? "PREDICTOR=3" : "PREDICTOR=2");
        }

        if (signedBytesAsByte)
        {
            list.Add("PIXELTYPE=SIGNEDBYTE");
        }

        list.AddRange(options.CreationOptions);
        return list;
    }

    /// <summary>Writes a window of all bands from a pixel-interleaved buffer (the layout <see cref="IRasterSource.ReadWindow{T}"/> reads).</summary>
    /// <typeparam name="T">Element type; GDAL converts to the file's type (for an Int8 file on GDAL 3.6, <see cref="sbyte"/> only).</typeparam>
    /// <param name="x">First column.</param>
    /// <param name="y">First row.</param>
    /// <param name="width">Columns.</param>
    /// <param name="height">Rows.</param>
    /// <param name="pixels"><c>width * height * BandCount</c> values; value <c>b</c> of pixel (<c>r</c>, <c>c</c>) at <c>((r * width) + c) * BandCount + b</c>.</param>
    /// <exception cref="GdalException">GDAL failed to write.</exception>
    public void WriteWindow<T>(int x, int y, int width, int height, ReadOnlySpan<T> pixels)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        if ((long)x + width > Width || (long)y + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Window ({x}, {y}, {width}x{height}) is outside the {Width}x{Height} raster.");
        }

        var count = (long)width * height * BandCount;
        if (pixels.Length != count)
        {
            throw new ArgumentException($"Expected {count} values for the window, got {pixels.Length}.", nameof(pixels));
        }

        var type = GdalDataTypes.Of<T>();
        var window = (x, y, width, height);
        if (_signedBytesAsByte)
        {
            if (type != GdalDataType.Int8)
            {
                throw new NotSupportedException($"An Int8 raster on GDAL {GdalLibrary.ReleaseName} is written from sbyte values; got {typeof(T).Name}.");
            }

            WriteInterleaved(window, pixels, GdalDataType.Byte);
        }
        else if (type == GdalDataType.Int8 && !GdalLibrary.SupportsInt8)
        {
            // No GDT_Int8 before GDAL 3.7: widen to Int16 (exact) and let GDAL convert to the file's type.
            var scratch = ArrayPool<short>.Shared.Rent(pixels.Length);
            try
            {
                var wide = scratch.AsSpan(0, pixels.Length);
                TensorPrimitives.ConvertChecked(MemoryMarshal.Cast<T, sbyte>(pixels), wide);
                WriteInterleaved(window, (ReadOnlySpan<short>)wide, GdalDataType.Int16);
            }
            finally
            {
                ArrayPool<short>.Shared.Return(scratch);
            }
        }
        else
        {
            WriteInterleaved(window, pixels, type);
        }
    }

    private void WriteInterleaved<T>((int X, int Y, int Width, int Height) window, ReadOnlySpan<T> pixels, GdalDataType bufferType)
        where T : unmanaged
    {
        var size = GdalDataTypes.SizeOf(bufferType);
        var pixel = (long)BandCount * size;
        GdalProxy.Write(_dataset, window, pixels, bufferType, BandCount, (pixel, pixel * window.Width, size));
    }

    /// <summary>Flushes everything to disk and closes the file, reporting a failed write (a full disk, for example).</summary>
    /// <exception cref="GdalException">The flush failed; the file is incomplete.</exception>
    public void Complete()
    {
        if (_dataset.IsClosed)
        {
            return;
        }

        try
        {
            GdalProxy.FlushCache(_dataset, $"flush '{Path}'");
        }
        finally
        {
            GdalProxy.Close(_dataset);
        }
    }

    /// <summary>Closes the file (GDAL flushes on close); use <see cref="Complete"/> to see a failed flush.</summary>
    public void Dispose()
    {
        if (!_dataset.IsClosed)
        {
            GdalProxy.Close(_dataset);
        }
    }
}
