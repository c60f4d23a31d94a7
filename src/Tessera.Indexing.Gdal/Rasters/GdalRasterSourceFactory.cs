using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>Opens rasters through GDAL: GeoTIFF, and any other raster format GDAL reads.</summary>
/// <param name="logger">Logs each open at debug level; <see langword="null"/> for none.</param>
public sealed partial class GdalRasterSourceFactory(ILogger<GdalRasterSourceFactory>? logger = null) : IRasterSourceFactory
{
    private readonly ILogger _logger = logger ?? NullLogger<GdalRasterSourceFactory>.Instance;

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">GDAL cannot read the file as a raster; the message is GDAL's.</exception>
    public IRasterSource Open(string path)
    {
        var source = GdalRasterSource.Open(path);
        LogOpened(_logger, path, source.DriverName, source.Width, source.Height, source.BandCount, source.DataType, source.BlockSize.Width, source.BlockSize.Height);
        return source;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opened {Path} with GDAL {Driver}: {Width}x{Height}, {Bands} bands of {DataType}, blocks {BlockWidth}x{BlockHeight}")]
    private static partial void LogOpened(ILogger logger, string path, string driver, int width, int height, int bands, RasterDataType dataType, int blockWidth, int blockHeight);
}
