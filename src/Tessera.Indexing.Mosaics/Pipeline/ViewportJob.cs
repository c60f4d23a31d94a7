namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>One viewport to process: download (or find) its mosaic, then index it and run the other post-processors.</summary>
/// <param name="ViewportId">The viewport id (a folder name under the indices root).</param>
/// <param name="MosaicPath">Where the mosaic is (or is to be downloaded to).</param>
public sealed record ViewportJob(string ViewportId, string MosaicPath)
{
    /// <summary>Rebuild outputs even when a valid cached build exists.</summary>
    public bool Force { get; init; }
}
