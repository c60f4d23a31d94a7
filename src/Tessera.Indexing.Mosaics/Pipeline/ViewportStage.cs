namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Where a viewport job is, following the seed's timeline.</summary>
public enum ViewportStage
{
    /// <summary>Waiting in the queue.</summary>
    Queued,

    /// <summary>0–10 %: starting.</summary>
    Starting,

    /// <summary>10–30 %: downloading.</summary>
    Downloading,

    /// <summary>30–45 %: downloads done or found cached.</summary>
    Downloaded,

    /// <summary>45–75 %: index creation and the other post-processors, in parallel.</summary>
    PostProcessing,

    /// <summary>75–85 %: waiting for the last post-processors.</summary>
    Waiting,

    /// <summary>85–95 %: validating the outputs.</summary>
    Validating,

    /// <summary>100 %: ready for exploration (possibly with optional features missing).</summary>
    Ready,

    /// <summary>The job failed (download or a required feature).</summary>
    Failed,

    /// <summary>The job was cancelled.</summary>
    Cancelled,
}
