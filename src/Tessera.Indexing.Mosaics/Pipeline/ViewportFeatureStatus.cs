namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The status of one stage or feature of a viewport job.</summary>
/// <param name="Feature">The feature (<c>download</c>, <c>index</c>, ...).</param>
/// <param name="State">Its state.</param>
/// <param name="Percent">Its own progress, 0–100.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record ViewportFeatureStatus(string Feature, ViewportFeatureState State, double Percent, string? Error = null)
{
    /// <summary>Whether the feature is available (completed or cached).</summary>
    public bool IsAvailable => State is ViewportFeatureState.Completed or ViewportFeatureState.Cached;
}
