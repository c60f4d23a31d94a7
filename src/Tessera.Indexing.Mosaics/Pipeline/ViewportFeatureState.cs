namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The state of one stage or feature of a viewport job.</summary>
public enum ViewportFeatureState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Running.</summary>
    Running,

    /// <summary>Built by this job.</summary>
    Completed,

    /// <summary>A valid earlier build was kept.</summary>
    Cached,

    /// <summary>Failed: the feature is missing (see the error).</summary>
    Failed,

    /// <summary>Stopped by cancellation.</summary>
    Cancelled,
}
