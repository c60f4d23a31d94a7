using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// What to build for one viewport, and how: the one definition of the mosaic settings, their
/// defaults and (through <see cref="MosaicIndexOptionsValidator"/>) their checks. The CLI binds its
/// flags to it; <c>ViewportPipelineOptions.Index</c> holds one as the template of every job.
/// Only <see cref="ViewportId"/> and <see cref="OutputRoot"/> must be set for a build.
/// </summary>
public sealed record MosaicIndexOptions
{
    /// <summary>The seed's index: 1024 IVF lists, 64-byte product quantiser codes.</summary>
    public const string DefaultIndexFactory = "IVF1024,PQ64";

    /// <summary>Default <see cref="SamplingFactor"/>: one pixel in every 4×4.</summary>
    public const int DefaultSamplingFactor = 4;

    /// <summary>Default <see cref="TrainSize"/>.</summary>
    public const int DefaultTrainSize = 65_536;

    /// <summary>Default <see cref="TrainSeed"/>.</summary>
    public const int DefaultTrainSeed = 42;

    /// <summary>The viewport's name: the output folder is <c>{OutputRoot}/{ViewportId}</c>. No path separators, no <c>..</c>.</summary>
    public string ViewportId { get; init; } = string.Empty;

    /// <summary>The folder holding every viewport's folder (the seed's <c>faiss_indices/</c>).</summary>
    public string OutputRoot { get; init; } = string.Empty;

    /// <summary>Index one pixel in every <c>N×N</c> (rows and columns <c>SamplingOffset + k·N</c>). At least 1.</summary>
    public int SamplingFactor { get; init; } = DefaultSamplingFactor;

    /// <summary>The first sampled row and column, 0 ≤ offset &lt; <see cref="SamplingFactor"/>.</summary>
    public int SamplingOffset { get; init; }

    /// <summary>
    /// Any FAISS <c>index_factory</c> string (for example <c>IVF1024,PQ64</c>, or <c>IVF1024,PQ64np</c>
    /// to skip polysemous training). Strings that cannot take explicit ids (<c>Flat</c>, <c>HNSW32</c>)
    /// are wrapped as <c>IDMap2,…</c>; the <c>IVF</c> list count is lowered when too few samples exist.
    /// </summary>
    public string IndexFactory { get; init; } = DefaultIndexFactory;

    /// <summary>The index metric.</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.L2;

    /// <summary>The most samples used to train the index, drawn reproducibly from all samples.</summary>
    public int TrainSize { get; init; } = DefaultTrainSize;

    /// <summary>The seed of the training-subset draw.</summary>
    public int TrainSeed { get; init; } = DefaultTrainSeed;

    /// <summary>How <c>all_embeddings.npy</c> stores the pixels.</summary>
    public MosaicEmbeddingsType AllEmbeddingsType { get; init; } = MosaicEmbeddingsType.Float32;

    /// <summary>Whether indexed vectors are L2-normalised (<c>v / max(‖v‖, 1e-12)</c>), for cosine similarity with <see cref="VectorMetric.InnerProduct"/>.</summary>
    public bool Normalize { get; init; }

    /// <summary>Rebuild even when a valid cached viewport exists.</summary>
    public bool Force { get; init; }

    /// <summary>The embedding dimension the mosaic must have (its band count), or <see langword="null"/> to accept any.</summary>
    public int? ExpectedDimension { get; init; }

    /// <summary>The most bytes of raster read at once (rounded to whole rows, and to the file's block height where possible).</summary>
    public long MaxReadBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Vectors converted and handed to the index builder per call while adding.</summary>
    public int AddBatchSize { get; init; } = 65_536;

    /// <summary>Throws <see cref="MosaicIndexException"/> when an option is out of range (the first problem <see cref="MosaicIndexOptionsValidator"/> finds, naming the setting).</summary>
    public void Validate()
    {
        var problems = MosaicIndexOptionsValidator.Check(this, string.Empty, includeTarget: true);
        if (problems.Count > 0)
        {
            throw new MosaicIndexException(problems[0].Kind, problems[0].Message);
        }
    }
}
