using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;

namespace Tessera.Cli.Benchmarking;

/// <summary>What <c>tessera bench-mosaic</c> prints: the mosaic, the parameters, per-stage wall time and peak memory.</summary>
internal sealed record BenchMosaicReport(
    string Mosaic,
    int Width,
    int Height,
    int Bands,
    int Factor,
    string Index,
    string Builder,
    int Threads,
    int TrainSize,
    long Sampled,
    long IndexBytes,
    long AllEmbeddingsBytes,
    string AllEmbeddingsDtype,
    IReadOnlyList<BenchMosaicStage> Stages,
    double TotalSeconds,
    double PeakMemoryMib)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static BenchMosaicReport Create(MosaicIndexResult result, StageClock clock, string builder, int threads, TimeSpan total, long peakBytes)
    {
        var t = result.Timings;
        var m = result.Metadata;
        var read = clock[TimedRasterSource.ReadStage];
        var trainCall = clock[StageTimingIndexBuilder.TrainCall];
        var addCall = clock[StageTimingIndexBuilder.AddCall];
        var write = clock[TimedVectorIndex.SaveStage];
        var stages = new List<BenchMosaicStage>
        {
            new("validate + fingerprint", t.Validating, "open, checks, source fingerprint"),
            new("read mosaic", read, "every row block from the raster source (GeoTIFF blocks read directly where they qualify)"),
            new("sample + write npy", t.Scanning - read, $"nodata test and sampling of every pixel, all_embeddings.npy ({m.AllEmbeddingsDtype}) conversion and write, streamed row by row"),
            new("training subset", t.Training - trainCall, "seeded draw of the training vectors, uint8 -> float32"),
        };
        var managed = clock.Has(nameof(IndexBuildStage.CoarseQuantizer));
        if (managed)
        {
            var coarse = clock[nameof(IndexBuildStage.CoarseQuantizer)];
            var residuals = clock[nameof(IndexBuildStage.Residuals)];
            var pq = clock[nameof(IndexBuildStage.ProductQuantizer)];
            stages.Add(new("coarse k-means", coarse, "IVF centroids, 10 iterations"));
            stages.Add(new("PQ residuals", residuals, "PQ training subset assigned to coarse centroids"));
            stages.Add(new("PQ k-means", pq, "one k-means per sub-space, 25 iterations"));
            stages.Add(new("load into FAISS", trainCall - coarse - residuals - pq, "centroids, codebooks, precomputed tables"));
        }
        else
        {
            stages.Add(new("FAISS train", trainCall, "coarse and PQ k-means inside FAISS"));
        }

        if (clock.Has(nameof(IndexBuildStage.Encoding)))
        {
            var encoding = clock[nameof(IndexBuildStage.Encoding)];
            var filling = clock[nameof(IndexBuildStage.ListFilling)];
            stages.Add(new("add: convert samples", t.Adding - addCall, "uint8 -> float32 per batch"));
            stages.Add(new("encoding", encoding, "coarse assignment, residuals, PQ codes"));
            stages.Add(new("list filling", filling, "codes and ids appended to the inverted lists"));
        }
        else
        {
            stages.Add(new("add: convert samples", t.Adding - addCall, "uint8 -> float32 per batch"));
            stages.Add(new("FAISS add", addCall, "encoding and list filling inside FAISS"));
        }

        stages.Add(new("write index", write, "embeddings.index"));
        stages.Add(new("metadata + commit", t.Saving - write, "SHA-256 of every artefact, metadata.json, move into place"));
        var sizes = m.FileSizes ?? new Dictionary<string, long>();
        return new BenchMosaicReport(
            m.MosaicFile ?? string.Empty,
            m.MosaicWidth,
            m.MosaicHeight,
            m.EmbeddingDim,
            m.SamplingFactor,
            m.FaissIndexType ?? string.Empty,
            builder,
            threads,
            m.TrainSizeUsed,
            m.NumSampledPixels,
            sizes.GetValueOrDefault("embeddings.index"),
            sizes.GetValueOrDefault("all_embeddings.npy"),
            m.AllEmbeddingsDtype.ToString(),
            stages,
            total.TotalSeconds,
            peakBytes / (1024.0 * 1024.0));
    }

    public void Print(TextWriter writer)
    {
        writer.WriteLine($"bench-mosaic: {Width}x{Height}x{Bands}, factor {Factor}, {Index}, builder {Builder}, {Threads} threads, {TrainSize} training vectors, {Sampled} sampled");
        foreach (var stage in Stages)
        {
            writer.WriteLine($"  {stage.Name,-24} {stage.Seconds,9:F2} s   {stage.Detail}");
        }

        writer.WriteLine($"  {"total",-24} {TotalSeconds,9:F2} s");
        writer.WriteLine($"  {"peak memory (RSS)",-24} {PeakMemoryMib,9:F0} MiB");
        writer.WriteLine($"  files: embeddings.index {IndexBytes / 1048576.0:F1} MiB, all_embeddings.npy ({AllEmbeddingsDtype}) {AllEmbeddingsBytes / 1048576.0:F1} MiB");
    }
}
