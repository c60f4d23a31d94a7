using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Gdal.Rasters.Tiff;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>
/// A GeoTIFF (or any raster GDAL reads) as an <see cref="IRasterSource"/>, read window by window into
/// the caller's pixel-interleaved buffer whatever the file's interleave (PIXEL or BAND) and tiling.
/// </summary>
/// <remarks>
/// <para>
/// Two read paths, with identical pixels. <b>Direct</b> (the default for GeoTIFFs GDAL describes fully,
/// see <see cref="GdalRasterSourceOptions.DirectRead"/>): blocks are located through GDAL's
/// <c>BLOCK_OFFSET_x_y</c> / <c>BLOCK_SIZE_x_y</c> metadata and read with positional reads; uncompressed
/// pixel-interleaved rows land straight in the destination, band-interleaved ones are transposed with
/// SIMD, and DEFLATE, LZW, ZSTD and LZMA blocks (with or without predictor) are decoded on all cores.
/// <b>GDAL</b>: one <c>GDALDatasetRasterIOEx</c> call per window, GDAL converting to the element type
/// asked for; used for every other file and element type, and for any block the direct path cannot
/// read (never written, truncated, corrupt), so GDAL's own errors and fill values come through.
/// <see cref="ReadPath"/> says which path a source uses, and why.
/// </para>
/// <para>
/// Thread safety: a GDAL dataset is not thread-safe, so GDAL reads on one instance are serialised by a
/// lock. Direct reads need no lock and may run concurrently.
/// </para>
/// <para>
/// Signed bytes: GDAL 3.6 (Debian bookworm) has no signed 8-bit type; such files are <c>GDT_Byte</c>
/// bands with <c>PIXELTYPE=SIGNEDBYTE</c> in the <c>IMAGE_STRUCTURE</c> metadata. They are reported
/// as <see cref="RasterDataType.Int8"/> and read with the right sign. GDAL 3.7+'s <c>GDT_Int8</c> is
/// handled too.
/// </para>
/// </remarks>
public sealed partial class GdalRasterSource : IRasterSource
{
    private readonly GdalDatasetHandle _dataset;
    private readonly Lock _gate = new();

    // Int8 stored as GDT_Byte + PIXELTYPE=SIGNEDBYTE (GDAL before 3.7): GDAL itself would read the bits as unsigned.
    private readonly bool _signedBytesAsByte;

    // The direct reader, or null when every read goes through GDAL.
    private readonly TiffBlockReader? _direct;

    private GdalRasterSource(string path, GdalDatasetHandle dataset, GdalRasterSourceOptions options)
    {
        Path = path;
        _dataset = dataset;
        (Width, Height, BandCount) = GdalProxy.Size(dataset);
        if (BandCount < 1)
        {
            throw new InvalidDataException($"'{path}' has no raster bands.");
        }

        var type = GdalProxy.BandDataType(dataset, 1);
        for (var band = 2; band <= BandCount; band++)
        {
            var other = GdalProxy.BandDataType(dataset, band);
            if (other != type)
            {
                throw new InvalidDataException($"'{path}' mixes band data types: band 1 is {type}, band {band} is {other}; all bands must share one type.");
            }
        }

        DataType = GdalDataTypes.ToRaster(type);
        if (type == GdalDataType.Byte
            && string.Equals(GdalProxy.BandMetadataItem(dataset, 1, "PIXELTYPE", "IMAGE_STRUCTURE"), "SIGNEDBYTE", StringComparison.OrdinalIgnoreCase))
        {
            DataType = RasterDataType.Int8;
            _signedBytesAsByte = true;
        }

        GeoTransform = GdalProxy.GetGeoTransform(dataset);
        SpatialReference = GdalProxy.GetSpatialReference(dataset);
        NoDataValue = GdalProxy.NoDataValue(dataset, 1);
        BlockSize = GdalProxy.BlockSize(dataset, 1);
        DriverName = GdalProxy.DriverShortName(dataset);
        ReadPath = "GDAL RasterIO: direct reads are off";
        if (options.DirectRead)
        {
            var candidate = new TiffDirectAccess.Candidate(path, dataset, DriverName, (Width, Height, BandCount), DataType, BlockSize);
            var reason = TiffDirectAccess.TryPrepare(candidate, out var layout, out var decompressor, out var file);
            if (reason is null)
            {
                try
                {
                    _direct = new TiffBlockReader(layout!, file!, decompressor, LocateBlocks, ReadBlocksThroughGdal, options.MaxDegreeOfParallelism, options.DecodedBlockCacheBytes);
                }
                catch
                {
                    file!.Dispose();
                    throw;
                }

                ReadPath = $"direct: {layout}";
            }
            else
            {
                ReadPath = $"GDAL RasterIO: {reason}";
            }
        }
    }

    /// <summary>Opens a raster read-only.</summary>
    /// <param name="path">A file path, or any GDAL path (<c>/vsicurl/…</c>, <c>/vsimem/…</c>).</param>
    /// <returns>The open raster; dispose it when done.</returns>
    /// <exception cref="FileNotFoundException">A local <paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">GDAL cannot read the file as a raster (the message is GDAL's).</exception>
    public static GdalRasterSource Open(string path) => Open(path, GdalRasterSourceOptions.Default);

    /// <summary>Opens a raster read-only, with read settings.</summary>
    /// <param name="path">A file path, or any GDAL path (<c>/vsicurl/…</c>, <c>/vsimem/…</c>).</param>
    /// <param name="options">How pixels are read.</param>
    /// <returns>The open raster; dispose it when done.</returns>
    /// <exception cref="FileNotFoundException">A local <paramref name="path"/> does not exist.</exception>
    /// <exception cref="InvalidDataException">GDAL cannot read the file as a raster (the message is GDAL's).</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public static GdalRasterSource Open(string path, GdalRasterSourceOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var isVirtual = path.StartsWith("/vsi", StringComparison.Ordinal);
        if (!isVirtual && !File.Exists(path))
        {
            throw new FileNotFoundException($"Raster '{path}' does not exist.", path);
        }

        GdalDatasetHandle dataset;
        try
        {
            dataset = GdalProxy.OpenRaster(path);
        }
        catch (GdalException e)
        {
            throw new InvalidDataException($"'{path}' is not a raster GDAL can read: {e.NativeMessage}", e);
        }

        try
        {
            return new GdalRasterSource(path, dataset, options);
        }
        catch
        {
            GdalProxy.Close(dataset);
            throw;
        }
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int BandCount { get; }

    /// <inheritdoc />
    public RasterDataType DataType { get; }

    /// <inheritdoc />
    public GeoTransform? GeoTransform { get; }

    /// <inheritdoc />
    public RasterSpatialReference? SpatialReference { get; }

    /// <inheritdoc />
    /// <remarks>The nodata value of band 1 (GeoTIFF stores one for all bands).</remarks>
    public double? NoDataValue { get; }

    /// <inheritdoc />
    /// <remarks>Band 1's block: a tile of a tiled file, or <c>(Width, RowsPerStrip)</c> of a striped one.</remarks>
    public (int Width, int Height) BlockSize { get; }

    /// <summary>The GDAL driver that opened the file (<c>GTiff</c>, <c>VRT</c>…).</summary>
    public string DriverName { get; }

    /// <summary>
    /// How windows are read, for logs: <c>direct: uncompressed, 256x256 blocks, pixel-interleaved, 128 x
    /// 1-byte samples</c>, or <c>GDAL RasterIO: </c> and why not directly (<c>COMPRESSION=JPEG is decoded
    /// by GDAL</c>, <c>big-endian TIFF</c>…). Direct sources still read element types other than the
    /// stored one (except exact widenings such as bytes to floats) through GDAL.
    /// </summary>
    public string ReadPath { get; }

    /// <summary>Bytes of decoded compressed blocks the direct path holds between window reads now.</summary>
    internal long CachedDecodedBytes => _direct?.CachedBytes ?? 0;

    /// <summary>Pieces of blocks the direct path could not read and handed to GDAL (never written, truncated, corrupt).</summary>
    internal long BlocksReadThroughGdal => _direct?.BlocksReadThroughGdal ?? 0;

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The window is empty or not inside the raster.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not a supported element type.</exception>
    /// <exception cref="GdalException">GDAL failed to read (for example a truncated or corrupt file).</exception>
    public void ReadWindow<T>(int x, int y, int width, int height, Span<T> destination)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        if ((long)x + width > Width || (long)y + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Window ({x}, {y}, {width}x{height}) is outside the {Width}x{Height} raster.");
        }

        var count = (long)width * height * BandCount;
        if (destination.Length < count)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; the window needs {count}.", nameof(destination));
        }

        var target = GdalDataTypes.Of<T>();
        destination = destination[..checked((int)count)];
        var window = (x, y, width, height);
        if (_direct is not null && TryReadDirect(window, destination, target))
        {
            return;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
            if (_signedBytesAsByte)
            {
                if (target == GdalDataType.Int8)
                {
                    // Same bits: GDAL copies the stored bytes, which are the signed values.
                    ReadInterleaved(window, destination, GdalDataType.Byte);
                }
                else
                {
                    ReadConverted<sbyte, T>(window, destination, GdalDataType.Byte);
                }
            }
            else if (target == GdalDataType.Int8 && !GdalLibrary.SupportsInt8)
            {
                // No GDT_Int8 before GDAL 3.7: let GDAL convert (with rounding and clamping) to Int16, then saturate.
                ReadConverted<short, T>(window, destination, GdalDataType.Int16);
            }
            else
            {
                ReadInterleaved(window, destination, target);
            }
        }
    }

    /// <summary>Closes the dataset.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_dataset.IsClosed)
            {
                GdalProxy.Close(_dataset);
            }
        }

        _direct?.Dispose();
    }
}
