namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>How a post-processor finished.</summary>
public enum ViewportFeatureOutcome
{
    /// <summary>It built its outputs.</summary>
    Completed,

    /// <summary>Valid outputs already existed; nothing was rebuilt.</summary>
    Cached,
}
