namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>What every stage of a job sees.</summary>
/// <param name="Job">The job.</param>
/// <param name="IndicesRoot">The root folder of all viewports' outputs.</param>
/// <param name="ViewportDirectory">This viewport's output folder, <c>{IndicesRoot}/{ViewportId}</c>.</param>
public sealed record ViewportJobContext(ViewportJob Job, string IndicesRoot, string ViewportDirectory)
{
    /// <summary>The viewport id.</summary>
    public string ViewportId => Job.ViewportId;

    /// <summary>The mosaic path after the download stage.</summary>
    public string MosaicPath { get; init; } = Job.MosaicPath;
}
