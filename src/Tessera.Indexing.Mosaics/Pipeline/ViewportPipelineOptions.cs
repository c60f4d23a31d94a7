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

    /// <summary>
    /// How every viewport's index is built (configuration section <c>Tessera:Pipeline:Index</c>, for
    /// example <c>IndexFactory</c>, <c>SamplingFactor</c>, <c>TrainSize</c>, <c>Metric</c>,
    /// <c>AllEmbeddingsType</c>, <c>Normalize</c>). Its <see cref="MosaicIndexOptions.ViewportId"/>,
    /// <see cref="MosaicIndexOptions.OutputRoot"/> and <see cref="MosaicIndexOptions.Force"/> are set per job.
    /// </summary>
    public MosaicIndexOptions Index { get; set; } = new();
}
