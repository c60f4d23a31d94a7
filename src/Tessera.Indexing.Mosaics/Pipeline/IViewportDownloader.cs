namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The download stage of a viewport job (the seed's parallel embeddings + satellite downloads).</summary>
public interface IViewportDownloader
{
    /// <summary>Makes the job's mosaic available on local disk.</summary>
    /// <param name="context">The job.</param>
    /// <param name="progress">Fraction done, 0..1.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>Where the mosaic is and whether it was already there.</returns>
    Task<ViewportDownloadResult> DownloadAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken);
}
