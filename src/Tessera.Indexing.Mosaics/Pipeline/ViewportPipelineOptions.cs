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
    /// Features whose failure fails the job (stage <see cref="ViewportStage.Failed"/>) besides those whose
    /// post-processor says <see cref="IViewportPostProcessor.IsRequired"/>; for example <c>index</c>, for an
    /// application whose viewports are useless without their search index. Empty by default: a failed
    /// optional feature leaves the viewport ready with the feature missing.
    /// </summary>
    public IList<string> RequiredFeatures { get; set; } = [];

    /// <summary>
    /// How every viewport's index is built (configuration section <c>Tessera:Pipeline:Index</c>, for
    /// example <c>IndexFactory</c>, <c>SamplingFactor</c>, <c>TrainSize</c>, <c>Metric</c>,
    /// <c>AllEmbeddingsType</c>, <c>Normalize</c>). Its <see cref="MosaicIndexOptions.ViewportId"/>,
    /// <see cref="MosaicIndexOptions.OutputRoot"/> and <see cref="MosaicIndexOptions.Force"/> are set per job.
    /// </summary>
    public MosaicIndexOptions Index { get; set; } = new();
}
