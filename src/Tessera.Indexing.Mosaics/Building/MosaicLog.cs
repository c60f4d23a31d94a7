using Microsoft.Extensions.Logging;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>The mosaic indexer's log messages.</summary>
internal static partial class MosaicLog
{
    [LoggerMessage(1, LogLevel.Information, "Viewport {ViewportId}: cached in {Directory}, nothing to do")]
    public static partial void Cached(ILogger logger, string viewportId, string directory);

    [LoggerMessage(2, LogLevel.Information, "Viewport {ViewportId}: rebuilding ({Reason})")]
    public static partial void Rebuilding(ILogger logger, string viewportId, string reason);

    [LoggerMessage(3, LogLevel.Information, "Viewport {ViewportId}: {Width}x{Height}x{Bands} {DataType} mosaic, sampling 1 in {Factor}x{Factor} from offset {Offset}, reading {Rows} rows at a time (file blocks {BlockWidth}x{BlockHeight})")]
    public static partial void Scanning(ILogger logger, string viewportId, int width, int height, int bands, string dataType, int factor, int offset, int rows, int blockWidth, int blockHeight);

    [LoggerMessage(4, LogLevel.Information, "Viewport {ViewportId}: {Samples} samples ({Nodata} nodata pixels, {NodataSampled} of them sampled and skipped), {SampleBytes} bytes held")]
    public static partial void Scanned(ILogger logger, string viewportId, long samples, long nodata, long nodataSampled, long sampleBytes);

    [LoggerMessage(5, LogLevel.Warning, "Viewport {ViewportId}: {TrainingPoints} training vectors are too few for {RequestedNlist} IVF lists (FAISS wants {PointsPerCentroid} per list); using {Nlist} lists: '{Effective}'. Lower --factor or raise --train-size to keep {RequestedNlist}.")]
    public static partial void NlistLowered(ILogger logger, string viewportId, long trainingPoints, int? requestedNlist, int pointsPerCentroid, int? nlist, string effective);

    [LoggerMessage(6, LogLevel.Information, "Viewport {ViewportId}: training '{Factory}' on {TrainingPoints} vectors (seed {Seed})")]
    public static partial void Training(ILogger logger, string viewportId, string factory, int trainingPoints, int seed);

    [LoggerMessage(7, LogLevel.Information, "Viewport {ViewportId}: built in {Seconds:F1} s ({Sampled} vectors indexed of {Total} pixels) into {Directory}")]
    public static partial void Built(ILogger logger, string viewportId, double seconds, long sampled, long total, string directory);

    [LoggerMessage(8, LogLevel.Warning, "Viewport {ViewportId}: build failed, staging folder removed: {Message}")]
    public static partial void Failed(ILogger logger, string viewportId, string message);

    [LoggerMessage(9, LogLevel.Information, "Viewport {ViewportId}: int8 raster without per-pixel scales; values are used as stored (scale 1)")]
    public static partial void UnscaledInt8(ILogger logger, string viewportId);

    [LoggerMessage(10, LogLevel.Warning, "Viewport {ViewportId}: metadata.json in {Directory} records no checksums (built before file_sha256 existed); its files were checked by size only. Rebuild it with --force to record them.")]
    public static partial void NoChecksums(ILogger logger, string viewportId, string directory);
}
