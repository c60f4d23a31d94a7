namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>The default download stage: the mosaic is already on disk; it only checks that the file exists.</summary>
public sealed class LocalMosaicDownloader : IViewportDownloader
{
    /// <inheritdoc />
    public Task<ViewportDownloadResult> DownloadAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(context.Job.MosaicPath))
        {
            throw new FileNotFoundException($"The mosaic '{context.Job.MosaicPath}' of viewport '{context.ViewportId}' does not exist.", context.Job.MosaicPath);
        }

        progress?.Report(1);
        return Task.FromResult(new ViewportDownloadResult(context.Job.MosaicPath, Cached: true));
    }
}
