using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Settings of the viewport pipeline (bind from configuration section <c>Tessera:Pipeline</c> or set in code).</summary>
public sealed class ViewportPipelineOptions
{
    /// <summary>Root folder of every viewport's outputs (<c>{IndicesRoot}/{viewport_id}/</c>). Required.</summary>
    public string IndicesRoot { get; set; } = string.Empty;

    /// <summary>Jobs that may wait in the queue; a full queue refuses new jobs (default 16).</summary>
    public int QueueCapacity { get; set; } = 16;

    /// <summary>Jobs processed at once (default 1; each job already runs its post-processors in parallel).</summary>
    public int MaxConcurrentJobs { get; set; } = 1;

    /// <summary>FAISS factory string of new indexes.</summary>
    public string IndexFactory { get; set; } = MosaicIndexOptions.DefaultIndexFactory;

    /// <summary>Sampling factor of new indexes.</summary>
    public int SamplingFactor { get; set; } = MosaicIndexOptions.DefaultSamplingFactor;

    /// <summary>Training-set size of new indexes.</summary>
    public int TrainSize { get; set; } = MosaicIndexOptions.DefaultTrainSize;

    /// <summary>Metric of new indexes.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.L2;

    /// <summary>How new viewports store <c>all_embeddings.npy</c>.</summary>
    public MosaicEmbeddingsType AllEmbeddingsType { get; set; } = MosaicEmbeddingsType.Float32;

    /// <summary>Whether new indexes hold unit-normalised vectors.</summary>
    public bool Normalize { get; set; }
}
