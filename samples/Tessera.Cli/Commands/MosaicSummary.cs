using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Indexing.Mosaics;

namespace Tessera.Cli.Commands;

/// <summary>The one JSON document <c>index-mosaic --json</c> and <c>demo --json</c> print.</summary>
internal sealed record MosaicSummary
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><c>built</c>, <c>cached</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    public required string ViewportId { get; init; }

    public string? Directory { get; init; }

    public string? Mosaic { get; init; }

    public string? ErrorKind { get; init; }

    public string? Message { get; init; }

    public long? NumTotalPixels { get; init; }

    public long? NumSampledPixels { get; init; }

    public long? NodataPixels { get; init; }

    public int? EmbeddingDim { get; init; }

    public string? FaissIndexType { get; init; }

    public int? Nlist { get; init; }

    public int? NlistRequested { get; init; }

    public string? FaissIndexTypeRequested { get; init; }

    public int? TrainSizeUsed { get; init; }

    public IReadOnlyDictionary<string, long>? FileSizes { get; init; }

    public IReadOnlyDictionary<string, double>? TimingsSeconds { get; init; }

    public long? PeakWorkingSetBytes { get; init; }

    public double? MosaicGenerationSeconds { get; init; }

    public static MosaicSummary From(MosaicIndexResult result)
    {
        var m = result.Metadata;
        var t = result.Timings;
        return new MosaicSummary
        {
            Status = result.Status.ToString().ToLowerInvariant(),
            ViewportId = m.ViewportId,
            Directory = result.Directory,
            Mosaic = m.MosaicFile,
            NumTotalPixels = m.NumTotalPixels,
            NumSampledPixels = m.NumSampledPixels,
            NodataPixels = m.NodataPixels,
            EmbeddingDim = m.EmbeddingDim,
            FaissIndexType = m.FaissIndexType,
            Nlist = m.Nlist,
            NlistRequested = m.NlistRequested,
            FaissIndexTypeRequested = m.FaissIndexTypeRequested,
            TrainSizeUsed = m.TrainSizeUsed,
            FileSizes = m.FileSizes,
            TimingsSeconds = new Dictionary<string, double>
            {
                ["validating"] = t.Validating.TotalSeconds,
                ["scanning"] = t.Scanning.TotalSeconds,
                ["training"] = t.Training.TotalSeconds,
                ["adding"] = t.Adding.TotalSeconds,
                ["saving"] = t.Saving.TotalSeconds,
                ["total"] = t.Total.TotalSeconds,
            },
            PeakWorkingSetBytes = result.PeakWorkingSetBytes,
        };
    }

    public static MosaicSummary Failure(string viewportId, string kind, string message) => new()
    {
        Status = "failed",
        ViewportId = viewportId,
        ErrorKind = kind,
        Message = message,
    };
}
