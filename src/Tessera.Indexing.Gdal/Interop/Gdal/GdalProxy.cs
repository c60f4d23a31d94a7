using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>
/// Checked wrappers over <see cref="GdalNative"/>: every call runs inside a <see cref="GdalErrorScope"/>
/// and every failure becomes a <see cref="GdalException"/>. Band and driver pointers are borrowed from
/// their dataset and never leave this class.
/// </summary>
internal static unsafe partial class GdalProxy
{
    private const uint OfRaster = 0x02;
    private const uint OfVerboseError = 0x40;
    private const int GfRead = 0;
    private const int GfWrite = 1;
    /// <summary><c>OGRERR_NONE</c>: an OSR call succeeded.</summary>
    internal const int OgrNone = 0;
    private const int CeFailure = 3;

    // Drivers ---------------------------------------------------------------------------------

    public static bool HasDriver(string shortName)
    {
        using var scope = GdalErrorScope.Enter();
        return GdalNative.GetDriverByName(shortName) != 0;
    }

    public static string DriverShortName(GdalDatasetHandle dataset)
    {
        using var scope = GdalErrorScope.Enter();
        var driver = GdalNative.GetDatasetDriver(dataset);
        return driver == 0 ? string.Empty : Marshal.PtrToStringUTF8((nint)GdalNative.GetDriverShortName(driver)) ?? string.Empty;
    }

    private static nint Driver(string shortName)
    {
        var driver = GdalNative.GetDriverByName(shortName);
        if (driver == 0)
        {
            throw new GdalException(GdalErrorKind.NotSupported, $"find driver '{shortName}'", $"GDAL {GdalLibrary.ReleaseName} has no '{shortName}' driver.");
        }

        return driver;
    }

    // Datasets --------------------------------------------------------------------------------

    /// <summary>Opens a raster read-only (<c>GDALOpenEx</c> with <c>GDAL_OF_RASTER | GDAL_OF_VERBOSE_ERROR</c>).</summary>
    public static GdalDatasetHandle OpenRaster(string path, ReadOnlySpan<string> allowedDrivers = default)
    {
        using var scope = GdalErrorScope.Enter();
        using var drivers = new Utf8StringList(allowedDrivers);
        var handle = GdalNative.OpenEx(path, OfRaster | OfVerboseError, drivers.Pointer, null, null);
        return GdalErrors.CheckHandle(handle, $"open '{path}'");
    }

    /// <summary>Creates a dataset with a driver (<c>GDALCreate</c>).</summary>
    public static GdalDatasetHandle Create(string driverName, string path, int width, int height, int bandCount, GdalDataType type, ReadOnlySpan<string> options)
    {
        using var scope = GdalErrorScope.Enter();
        var driver = Driver(driverName);
        using var list = new Utf8StringList(options);
        var handle = GdalNative.Create(driver, path, width, height, bandCount, (int)type, list.Pointer);
        return GdalErrors.CheckHandle(handle, $"create {driverName} '{path}'");
    }

    /// <summary>Copies a dataset into a new file with a driver (<c>GDALCreateCopy</c>); the copy is closed (and so flushed) before returning.</summary>
    public static void CreateCopyAndClose(string driverName, string path, GdalDatasetHandle source, ReadOnlySpan<string> options)
    {
        using var scope = GdalErrorScope.Enter();
        var driver = Driver(driverName);
        using var list = new Utf8StringList(options);
        using var copy = GdalErrors.CheckHandle(GdalNative.CreateCopy(driver, path, source, 0, list.Pointer, 0, 0), $"write {driverName} '{path}'");
        GdalNative.FlushCache(copy);
        GdalErrors.CheckLast($"write {driverName} '{path}'");
    }

    /// <summary>Writes pending blocks (<c>GDALFlushCache</c>) and throws when that failed (a full disk, for example).</summary>
    public static void FlushCache(GdalDatasetHandle dataset, string operation)
    {
        using var scope = GdalErrorScope.Enter();
        GdalNative.FlushCache(dataset);
        GdalErrors.CheckLast(operation);
    }

    /// <summary>Closes a dataset with the quiet error handler in place, so a failing close prints nothing.</summary>
    public static void Close(GdalDatasetHandle dataset)
    {
        using var scope = GdalErrorScope.Enter();
        dataset.Dispose();
    }

    /// <summary>Runs <c>GDALTranslate</c> with command-line style arguments (for example <c>-of VRT -expand rgb</c>).</summary>
    public static GdalDatasetHandle Translate(string destination, GdalDatasetHandle source, ReadOnlySpan<string> arguments)
    {
        using var scope = GdalErrorScope.Enter();
        using var argv = new Utf8StringList(arguments);
        using var options = GdalErrors.CheckHandle(GdalNative.TranslateOptionsNew(argv.Pointer, 0), "parse translate options");
        int usageError = 0;
        var handle = GdalNative.Translate(destination, source, options, &usageError);
        return GdalErrors.CheckHandle(handle, $"translate ({string.Join(' ', arguments.ToArray())})");
    }

    public static (int Width, int Height, int BandCount) Size(GdalDatasetHandle dataset)
    {
        using var scope = GdalErrorScope.Enter();
        return (GdalNative.GetRasterXSize(dataset), GdalNative.GetRasterYSize(dataset), GdalNative.GetRasterCount(dataset));
    }

    // Bands -----------------------------------------------------------------------------------

    private static nint Band(GdalDatasetHandle dataset, int bandNumber)
    {
        var band = GdalNative.GetRasterBand(dataset, bandNumber);
        if (band == 0)
        {
            throw GdalErrors.Last($"get band {bandNumber}");
        }

        return band;
    }

    public static GdalDataType BandDataType(GdalDatasetHandle dataset, int bandNumber)
    {
        using var scope = GdalErrorScope.Enter();
        return (GdalDataType)GdalNative.GetRasterDataType(Band(dataset, bandNumber));
    }

    public static string? BandMetadataItem(GdalDatasetHandle dataset, int bandNumber, string name, string? domain)
    {
        using var scope = GdalErrorScope.Enter();
        return Marshal.PtrToStringUTF8((nint)GdalNative.GetMetadataItem(Band(dataset, bandNumber), name, domain));
    }

    public static string? DatasetMetadataItem(GdalDatasetHandle dataset, string name, string? domain)
    {
        using var scope = GdalErrorScope.Enter();
        return Marshal.PtrToStringUTF8((nint)GdalNative.GetDatasetMetadataItem(dataset, name, domain));
    }

    /// <summary>
    /// Where one row of a GeoTIFF band's blocks lie in the file: <c>BLOCK_OFFSET_x_y</c> and
    /// <c>BLOCK_SIZE_x_y</c> from the band's <c>TIFF</c> metadata domain, for blocks
    /// <c>0 .. offsets.Length - 1</c> of block row <paramref name="blockY"/>; -1 where GDAL reports none
    /// (a sparse block that was never written, or a block GDAL does not map to one strip or tile).
    /// </summary>
    public static void BlockLocations(GdalDatasetHandle dataset, int bandNumber, int blockY, Span<long> offsets, Span<long> sizes)
    {
        using var scope = GdalErrorScope.Enter();
        var band = Band(dataset, bandNumber);
        var name = stackalloc byte[64];
        var domain = stackalloc byte[] { (byte)'T', (byte)'I', (byte)'F', (byte)'F', 0 };
        for (var blockX = 0; blockX < offsets.Length; blockX++)
        {
            offsets[blockX] = BlockItem(band, "BLOCK_OFFSET_"u8, blockX, blockY, name, domain);
            sizes[blockX] = offsets[blockX] < 0 ? -1 : BlockItem(band, "BLOCK_SIZE_"u8, blockX, blockY, name, domain);
        }
    }

    private static long BlockItem(nint band, ReadOnlySpan<byte> prefix, int blockX, int blockY, byte* name, byte* domain)
    {
        var buffer = new Span<byte>(name, 63);
        prefix.CopyTo(buffer);
        var length = prefix.Length;
        if (!Utf8Formatter.TryFormat(blockX, buffer[length..], out var written))
        {
            return -1;
        }

        length += written;
        buffer[length++] = (byte)'_';
        if (!Utf8Formatter.TryFormat(blockY, buffer[length..], out written))
        {
            return -1;
        }

        length += written;
        name[length] = 0;
        var value = GdalNative.GetMetadataItemUtf8(band, name, domain);
        if (value is null)
        {
            return -1;
        }

        var text = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(value);
        return Utf8Parser.TryParse(text, out long number, out var consumed) && consumed == text.Length && number >= 0 ? number : -1;
    }

    public static (int Width, int Height) BlockSize(GdalDatasetHandle dataset, int bandNumber)
    {
        using var scope = GdalErrorScope.Enter();
        GdalNative.GetBlockSize(Band(dataset, bandNumber), out var width, out var height);
        return (width, height);
    }

    public static double? NoDataValue(GdalDatasetHandle dataset, int bandNumber)
    {
        using var scope = GdalErrorScope.Enter();
        var value = GdalNative.GetRasterNoDataValue(Band(dataset, bandNumber), out var hasNoData);
        return hasNoData != 0 ? value : null;
    }

    public static void SetNoDataValue(GdalDatasetHandle dataset, int bandNumber, double value)
    {
        using var scope = GdalErrorScope.Enter();
        GdalErrors.Check(GdalNative.SetRasterNoDataValue(Band(dataset, bandNumber), value), $"set nodata of band {bandNumber}");
    }

    public static GdalColorInterpretation ColorInterpretation(GdalDatasetHandle dataset, int bandNumber)
    {
        using var scope = GdalErrorScope.Enter();
        return (GdalColorInterpretation)GdalNative.GetRasterColorInterpretation(Band(dataset, bandNumber));
    }

    public static bool HasColorTable(GdalDatasetHandle dataset, int bandNumber)
    {
        using var scope = GdalErrorScope.Enter();
        return GdalNative.GetRasterColorTable(Band(dataset, bandNumber)) != 0;
    }

    // Error messages --------------------------------------------------------------------------

    /// <summary>GDAL's last error message, trimmed, or <paramref name="fallback"/> when there is none.</summary>
    internal static string LastMessageOr(string fallback)
    {
        var message = Marshal.PtrToStringUTF8((nint)GdalNative.GetLastErrorMsg());
        return string.IsNullOrWhiteSpace(message) ? fallback : message.Trim();
    }

    // Raster I/O ------------------------------------------------------------------------------

    /// <summary>
    /// One <c>GDALDatasetRasterIOEx</c> read of <paramref name="window"/> into <paramref name="buffer"/>
    /// (<paramref name="bufferWidth"/> x <paramref name="bufferHeight"/> pixels, spacings in bytes),
    /// resampling when the sizes differ; <paramref name="floatingWindow"/> refines the source window to
    /// fractional pixels. <paramref name="cancellationToken"/> is polled through GDAL's progress callback.
    /// </summary>
    public static void Read<T>(
        GdalDatasetHandle dataset,
        (int X, int Y, int Width, int Height) window,
        Span<T> buffer,
        int bufferWidth,
        int bufferHeight,
        GdalDataType bufferType,
        ReadOnlySpan<int> bandMap,
        int bandCount,
        (long Pixel, long Line, long Band) spacing,
        GdalResampling resampling = GdalResampling.NearestNeighbour,
        (double X, double Y, double Width, double Height)? floatingWindow = null,
        CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        CheckBufferLength(MemoryMarshal.AsBytes(buffer).Length, bufferWidth, bufferHeight, bufferType, bandCount, spacing);
        fixed (T* pointer = buffer)
        {
            RasterIO(dataset, GfRead, window, pointer, bufferWidth, bufferHeight, bufferType, bandMap, bandCount, spacing, resampling, floatingWindow, cancellationToken);
        }
    }

    /// <summary>One <c>GDALDatasetRasterIOEx</c> write of <paramref name="buffer"/> into <paramref name="window"/> (same sizes, spacings in bytes).</summary>
    public static void Write<T>(
        GdalDatasetHandle dataset,
        (int X, int Y, int Width, int Height) window,
        ReadOnlySpan<T> buffer,
        GdalDataType bufferType,
        int bandCount,
        (long Pixel, long Line, long Band) spacing)
        where T : unmanaged
    {
        CheckBufferLength(MemoryMarshal.AsBytes(buffer).Length, window.Width, window.Height, bufferType, bandCount, spacing);
        fixed (T* pointer = buffer)
        {
            RasterIO(dataset, GfWrite, window, pointer, window.Width, window.Height, bufferType, default, bandCount, spacing, GdalResampling.NearestNeighbour, null, default);
        }
    }

    /// <summary>
    /// Reads one band's window into a contiguous plane (<c>GDALRasterIOEx</c> on the band). The naive
    /// per-band path, kept for the benchmark baseline; <see cref="Read{T}"/> reads all bands in one call.
    /// </summary>
    public static void ReadBand<T>(GdalDatasetHandle dataset, int bandNumber, (int X, int Y, int Width, int Height) window, Span<T> plane)
        where T : unmanaged
    {
        var type = GdalDataTypes.Of<T>();
        var size = GdalDataTypes.SizeOf(type);
        CheckBufferLength(MemoryMarshal.AsBytes(plane).Length, window.Width, window.Height, type, 1, (size, (long)size * window.Width, 0));
        using var scope = GdalErrorScope.Enter();
        var extra = new GdalNative.RasterIOExtraArg { Version = 1 };
        fixed (T* pointer = plane)
        {
            var status = GdalNative.RasterIOEx(
                Band(dataset, bandNumber), GfRead, window.X, window.Y, window.Width, window.Height, pointer, window.Width, window.Height, (int)type, size, (long)size * window.Width, &extra);
            if (status >= CeFailure)
            {
                throw GdalErrors.Last($"read band {bandNumber} window ({window.X}, {window.Y}, {window.Width}x{window.Height})");
            }
        }
    }

    private static void CheckBufferLength(long bytes, int bufferWidth, int bufferHeight, GdalDataType type, int bandCount, (long Pixel, long Line, long Band) spacing)
    {
        // The last byte GDAL touches must lie inside the buffer: never let native code write past a span.
        var last = ((bufferHeight - 1) * spacing.Line) + ((bufferWidth - 1) * spacing.Pixel) + ((bandCount - 1) * spacing.Band) + GdalDataTypes.SizeOf(type);
        if (bufferWidth < 1 || bufferHeight < 1 || bandCount < 1 || spacing.Pixel < 0 || spacing.Line < 0 || spacing.Band < 0 || last > bytes)
        {
            throw new ArgumentException($"The buffer holds {bytes} bytes but the request needs {last}.", "buffer");
        }
    }

    private static void RasterIO(
        GdalDatasetHandle dataset,
        int readWrite,
        (int X, int Y, int Width, int Height) window,
        void* buffer,
        int bufferWidth,
        int bufferHeight,
        GdalDataType bufferType,
        ReadOnlySpan<int> bandMap,
        int bandCount,
        (long Pixel, long Line, long Band) spacing,
        GdalResampling resampling,
        (double X, double Y, double Width, double Height)? floatingWindow,
        CancellationToken cancellationToken)
    {
        if (!bandMap.IsEmpty && bandMap.Length != bandCount)
        {
            throw new ArgumentException("The band map must list one band per buffer band.", nameof(bandMap));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var extra = new GdalNative.RasterIOExtraArg { Version = 1, ResampleAlg = (int)resampling };
        if (floatingWindow is { } f)
        {
            extra.FloatingPointWindowValidity = 1;
            extra.XOff = f.X;
            extra.YOff = f.Y;
            extra.XSize = f.Width;
            extra.YSize = f.Height;
        }

        var tokenHandle = default(GCHandle);
        if (cancellationToken.CanBeCanceled)
        {
            tokenHandle = GCHandle.Alloc(new StrongBox<CancellationToken>(cancellationToken));
            extra.Progress = &ContinueUnlessCancelled;
            extra.ProgressData = (void*)GCHandle.ToIntPtr(tokenHandle);
        }

        try
        {
            using var scope = GdalErrorScope.Enter();
            int status;
            fixed (int* map = bandMap)
            {
                status = GdalNative.DatasetRasterIOEx(
                    dataset, readWrite, window.X, window.Y, window.Width, window.Height, buffer, bufferWidth, bufferHeight, (int)bufferType, bandCount, map, spacing.Pixel, spacing.Line, spacing.Band, &extra);
            }

            if (status >= CeFailure)
            {
                // Build the message only on failure: this path runs once per window.
                cancellationToken.ThrowIfCancellationRequested();
                throw GdalErrors.Last($"{(readWrite == GfRead ? "read" : "write")} window ({window.X}, {window.Y}, {window.Width}x{window.Height})");
            }
        }
        finally
        {
            if (tokenHandle.IsAllocated)
            {
                tokenHandle.Free();
            }
        }
    }

    [UnmanagedCallersOnly]
    private static int ContinueUnlessCancelled(double complete, byte* message, void* data)
    {
        var box = (StrongBox<CancellationToken>?)GCHandle.FromIntPtr((nint)data).Target;
        return box is not null && box.Value.IsCancellationRequested ? 0 : 1;
    }
}
