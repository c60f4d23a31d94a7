using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>Opens rasters through GDAL: GeoTIFF, and any other raster format GDAL reads.</summary>
public sealed partial class GdalRasterSourceFactory : IRasterSourceFactory
{
    private readonly ILogger _logger;
    private readonly GdalRasterSourceOptions _options;

    /// <summary>Creates a factory with the default read settings.</summary>
    /// <param name="logger">Logs each open (driver, size, read path) at debug level; <see langword="null"/> for none.</param>
    public GdalRasterSourceFactory(ILogger<GdalRasterSourceFactory>? logger = null)
        : this(logger, options: null)
    {
    }

    /// <summary>Creates a factory with read settings (configure them with <c>services.Configure&lt;GdalRasterSourceOptions&gt;(…)</c>).</summary>
    /// <param name="logger">Logs each open (driver, size, read path) at debug level; <see langword="null"/> for none.</param>
    /// <param name="options">How sources read pixels; <see langword="null"/> for <see cref="GdalRasterSourceOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public GdalRasterSourceFactory(ILogger<GdalRasterSourceFactory>? logger, IOptions<GdalRasterSourceOptions>? options)
    {
        _logger = logger ?? NullLogger<GdalRasterSourceFactory>.Instance;
        _options = options?.Value ?? GdalRasterSourceOptions.Default;
        _options.Validate();
    }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">GDAL cannot read the file as a raster; the message is GDAL's.</exception>
    public IRasterSource Open(string path)
    {
        var source = GdalRasterSource.Open(path, _options);
        LogOpened(_logger, path, source.DriverName, source.Width, source.Height, source.BandCount, source.DataType, source.BlockSize.Width, source.BlockSize.Height, source.ReadPath);
        return source;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opened {Path} with GDAL {Driver}: {Width}x{Height}, {Bands} bands of {DataType}, blocks {BlockWidth}x{BlockHeight}; read path {ReadPath}")]
    private static partial void LogOpened(ILogger logger, string path, string driver, int width, int height, int bands, RasterDataType dataType, int blockWidth, int blockHeight, string readPath);
}
