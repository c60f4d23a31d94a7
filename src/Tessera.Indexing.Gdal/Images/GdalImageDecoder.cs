using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Gdal.Images;

/// <summary>
/// Decodes JPEG, PNG, WebP (and GIF, BMP, TIFF) through GDAL into 8-bit RGB: a local path, an
/// <c>http(s)</c> URL (read through <c>/vsicurl/</c>, only the bytes needed), or encoded bytes (through
/// <c>/vsimem/</c>, without a copy). Resizing and centre-cropping happen in the same read: one
/// <c>GDALDatasetRasterIOEx</c> call reads the crop's source window straight into an output of the
/// crop's size, resampling as it goes (for a JPEG GDAL also uses the decoder's own 1/2, 1/4, 1/8 scaling).
/// Grey images are replicated to RGB, alpha is dropped, palette images are expanded through their
/// colour table, and 16-bit images are scaled to 8 bits.
/// </summary>
/// <remarks>Thread-safe: every call opens its own GDAL dataset; GDAL settings are per thread.</remarks>
public sealed partial class GdalImageDecoder : IImageDecoder
{
    private readonly GdalImageDecoderOptions _options;
    private readonly ILogger _logger;
    private readonly string[] _allowedDrivers;

    /// <summary>Creates the decoder.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Logs failures at debug level; <see langword="null"/> for none.</param>
    public GdalImageDecoder(IOptions<GdalImageDecoderOptions>? options = null, ILogger<GdalImageDecoder>? logger = null)
    {
        _options = options?.Value ?? new GdalImageDecoderOptions();
        _logger = logger ?? NullLogger<GdalImageDecoder>.Instance;
        _allowedDrivers = [.. _options.AllowedDrivers];
    }

    /// <inheritdoc />
    public ValueTask<RgbImage> DecodeAsync(string location, ImageDecodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        ImageReadPlan.Validate(options);
        cancellationToken.ThrowIfCancellationRequested();
        if (IsHttp(location))
        {
            // A download blocks a thread inside GDAL, so it runs off the caller's. Cancellation is polled by
            // GDAL's progress callback while pixels are read; while GDAL is still connecting or reading the
            // header it cannot be interrupted, so the caller stops waiting at once and the abandoned request
            // ends by itself within HttpTimeout.
            var decode = Task.Run(() => DecodeUrl(location, options, cancellationToken), cancellationToken);
            return new ValueTask<RgbImage>(cancellationToken.CanBeCanceled ? decode.WaitAsync(cancellationToken) : decode);
        }

        if (!location.StartsWith("/vsi", StringComparison.Ordinal))
        {
            if (!File.Exists(location))
            {
                throw Fail(location, Directory.Exists(location) ? "the path is a folder, not an image file" : "the file does not exist");
            }

            // FIFOs, devices and sockets report no size; opening a FIFO would wait for a writer forever.
            var file = new FileInfo(location);
            if ((file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? file).Length == 0)
            {
                throw Fail(location, "the file is empty or not a regular file (a FIFO, device or socket); it was not opened");
            }
        }

        return ValueTask.FromResult(DecodePath(location, location, options, cancellationToken));
    }

    /// <inheritdoc />
    public RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeOptions? options = null)
    {
        ImageReadPlan.Validate(options);
        var description = $"<{encoded.Length} bytes in memory>";
        if (encoded.IsEmpty)
        {
            throw Fail(description, "no bytes");
        }

        return GdalProxy.WithMemoryFile(encoded, string.Empty, (this, description, options), static (path, state) =>
            state.Item1.DecodePath(path, state.description, state.options, CancellationToken.None));
    }

    private static bool IsHttp(string location) =>
        location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private RgbImage DecodeUrl(string url, ImageDecodeOptions? options, CancellationToken cancellationToken)
    {
        var path = "/vsicurl/" + url;
        using var http = new ThreadLocalConfigScope()
            .Set("GDAL_HTTP_TIMEOUT", Seconds(_options.HttpTimeout))
            .Set("GDAL_HTTP_CONNECTTIMEOUT", Seconds(_options.HttpConnectTimeout))
            .Set("GDAL_HTTP_MAX_RETRY", _options.HttpMaxRetries.ToString(CultureInfo.InvariantCulture))
            .Set("GDAL_HTTP_RETRY_DELAY", "0.5")
            .Set("GDAL_HTTP_USERAGENT", "Tessera.Indexing");
        try
        {
            return DecodePath(path, url, options, cancellationToken);
        }
        finally
        {
            // Forget this URL's cached bytes and size, so a changed image is fetched again next time.
            GdalProxy.ClearCurlCache(path);
        }
    }

    private static string Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private RgbImage DecodePath(string gdalPath, string location, ImageDecodeOptions? options, CancellationToken cancellationToken)
    {
        using var config = new ThreadLocalConfigScope()
            .Set("GDAL_PAM_ENABLED", "NO")
            .Set("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR")
            .Set("GDAL_ERROR_ON_LIBJPEG_WARNING", "TRUE");
        GdalDatasetHandle dataset;
        try
        {
            dataset = GdalProxy.OpenRaster(gdalPath, _allowedDrivers);
        }
        catch (GdalException e)
        {
            throw Fail(location, OpenFailureReason(e), e);
        }

        try
        {
            return Read(dataset, location, options, cancellationToken);
        }
        catch (GdalException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(location, $"corrupt or truncated image: {e.NativeMessage}", e);
        }
        finally
        {
            GdalProxy.Close(dataset);
        }
    }

    private static string OpenFailureReason(GdalException e) => e.Kind switch
    {
        GdalErrorKind.HttpResponse => $"download failed: {e.NativeMessage}",
        _ when e.NativeMessage.Contains("not recognized as a supported file format", StringComparison.Ordinal)
            || e.NativeMessage.Contains("not recognized as being in a supported file format", StringComparison.Ordinal)
            => $"not an image in a supported format: {e.NativeMessage}",
        _ => $"cannot open: {e.NativeMessage}",
    };

    private RgbImage Read(GdalDatasetHandle dataset, string location, ImageDecodeOptions? options, CancellationToken cancellationToken)
    {
        var (width, height, bands) = GdalProxy.Size(dataset);
        if (bands < 1 || width < 1 || height < 1)
        {
            throw Fail(location, "the file holds no image");
        }

        var type = GdalProxy.BandDataType(dataset, 1);
        if (type is not (GdalDataType.Byte or GdalDataType.UInt16))
        {
            throw Fail(location, $"unsupported pixel type {type} (8-bit and 16-bit images are supported)");
        }

        var plan = ImageReadPlan.Create(width, height, options, out var reason) ?? throw Fail(location, reason!);
        if ((long)plan.OutputWidth * plan.OutputHeight > _options.MaxPixels)
        {
            throw Fail(location, $"the decoded image would be {plan.OutputWidth}x{plan.OutputHeight}, more than the {_options.MaxPixels} pixels allowed");
        }

        GdalDatasetHandle? expanded = null;
        try
        {
            var source = dataset;
            ReadOnlySpan<int> bandMap = bands >= 3 ? [1, 2, 3] : [1, 1, 1];
            if (GdalProxy.ColorInterpretation(dataset, 1) == GdalColorInterpretation.PaletteIndex && GdalProxy.HasColorTable(dataset, 1))
            {
                // GDAL resamples a paletted band (even through a VRT's -expand) with nearest neighbour only,
                // so expand the palette to RGB in memory first, at full size, then resample colours.
                if ((long)width * height > _options.MaxPixels)
                {
                    throw Fail(location, $"the {width}x{height} palette image is more than the {_options.MaxPixels} pixels allowed");
                }

                expanded = GdalProxy.Translate(string.Empty, dataset, ["-of", "MEM", "-expand", "rgb"]);
                source = expanded;
                bandMap = [1, 2, 3];
            }

            var pixels = new byte[plan.OutputWidth * plan.OutputHeight * 3];
            var identity = plan.IsIdentityScale(width, height);
            var window = plan.IntegerWindow(width, height);
            (double, double, double, double)? floatingWindow = identity ? null : (plan.SourceX, plan.SourceY, plan.SourceWidth, plan.SourceHeight);
            var resampling = identity ? GdalResampling.NearestNeighbour : ToGdal(_options.Resampling);
            if (type == GdalDataType.Byte)
            {
                GdalProxy.Read<byte>(source, window, pixels, plan.OutputWidth, plan.OutputHeight, GdalDataType.Byte, bandMap, 3, (3, 3L * plan.OutputWidth, 1), resampling, floatingWindow, cancellationToken);
            }
            else
            {
                ReadSixteenBit(source, window, pixels, plan, bandMap, resampling, floatingWindow, cancellationToken);
            }

            return new RgbImage(plan.OutputWidth, plan.OutputHeight, pixels);
        }
        finally
        {
            if (expanded is not null)
            {
                GdalProxy.Close(expanded);
            }
        }
    }

    private static void ReadSixteenBit(
        GdalDatasetHandle source,
        (int X, int Y, int Width, int Height) window,
        byte[] pixels,
        ImageReadPlan plan,
        ReadOnlySpan<int> bandMap,
        GdalResampling resampling,
        (double, double, double, double)? floatingWindow,
        CancellationToken cancellationToken)
    {
        var wide = ArrayPool<ushort>.Shared.Rent(pixels.Length);
        try
        {
            var values = wide.AsSpan(0, pixels.Length);
            GdalProxy.Read<ushort>(source, window, values, plan.OutputWidth, plan.OutputHeight, GdalDataType.UInt16, bandMap, 3, (6, 6L * plan.OutputWidth, 2), resampling, floatingWindow, cancellationToken);
            for (var i = 0; i < values.Length; i++)
            {
                pixels[i] = (byte)(((values[i] * 255) + 32767) / 65535);
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(wide);
        }
    }

    private static GdalResampling ToGdal(GdalImageResampling resampling) => resampling switch
    {
        GdalImageResampling.Cubic => GdalResampling.Cubic,
        GdalImageResampling.Lanczos => GdalResampling.Lanczos,
        GdalImageResampling.Average => GdalResampling.Average,
        GdalImageResampling.NearestNeighbour => GdalResampling.NearestNeighbour,
        _ => GdalResampling.Bilinear,
    };

    private ImageDecodeException Fail(string location, string reason, Exception? inner = null)
    {
        LogFailed(_logger, location, reason);
        return new ImageDecodeException(location, reason, inner);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cannot decode {Location}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string location, string reason);
}
