namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>A snapshot of a viewport job: stage, one overall 0–100 figure, message, and per-feature statuses.</summary>
/// <param name="ViewportId">The viewport.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Percent">Overall progress, 0–100, never decreasing during a job.</param>
/// <param name="Message">What is happening, in the seed's words.</param>
/// <param name="Features">The download stage and every post-processor.</param>
/// <param name="Error">Why the job failed, when it did.</param>
/// <param name="UpdatedUtc">When this snapshot was taken.</param>
public sealed record ViewportStatus(
    string ViewportId,
    ViewportStage Stage,
    double Percent,
    string Message,
    IReadOnlyList<ViewportFeatureStatus> Features,
    string? Error,
    DateTimeOffset UpdatedUtc)
{
    /// <summary>Whether the job has ended (ready, failed or cancelled).</summary>
    public bool IsFinished => Stage is ViewportStage.Ready or ViewportStage.Failed or ViewportStage.Cancelled;

    /// <summary>The features that are not available after the job ended.</summary>
    public IEnumerable<string> MissingFeatures => IsFinished ? Features.Where(f => !f.IsAvailable).Select(f => f.Feature) : [];
}
