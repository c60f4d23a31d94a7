using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics.Building;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// The <c>preview</c> feature (the seed's pyramids, reduced to one level): draws the mosaic's bands
/// 1–3, every factor-th pixel, each stretched between its 2nd and 98th percentile (the same stretch
/// as <c>ViewportSearcher.RenderPreview</c>), and writes <c>{PreviewsRoot}/{viewport_id}.png</c>.
/// Runs in parallel with index creation; a preview newer than its mosaic is kept. The mosaic is
/// opened by the registered raster factories, as the indexer opens it. Add it with
/// <c>AddMosaicPreviews(…)</c>.
/// </summary>
public sealed class MosaicPreviewPostProcessor : IViewportPostProcessor
{
    /// <summary>The feature name.</summary>
    public const string FeatureName = "preview";

    private readonly MosaicSourceOpener _opener;
    private readonly MosaicPreviewOptions _options;

    /// <summary>Creates the step.</summary>
    /// <param name="rasterSourceFactories">Open mosaics by path, tried in order.</param>
    /// <param name="options">Where previews go and how large they are.</param>
    public MosaicPreviewPostProcessor(IEnumerable<IRasterSourceFactory> rasterSourceFactories, IOptions<MosaicPreviewOptions> options)
    {
        ArgumentNullException.ThrowIfNull(rasterSourceFactories);
        ArgumentNullException.ThrowIfNull(options);
        _opener = new MosaicSourceOpener([.. rasterSourceFactories]);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Feature => FeatureName;

    /// <inheritdoc />
    public string RunningMessage => "Creating preview...";

    /// <inheritdoc />
    public Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = _options.GetPreviewPath(context.ViewportId);
        if (!context.Job.Force && File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(context.MosaicPath))
        {
            return Task.FromResult(ViewportFeatureOutcome.Cached);
        }

        using var source = _opener.Open(context.MosaicPath);
        var (image, _) = MosaicPreviewRenderer.Render(source, _options.MaxSize, progress, cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        PngWriter.Write(temporary, image);
        File.Move(temporary, path, overwrite: true);
        return Task.FromResult(ViewportFeatureOutcome.Completed);
    }

    /// <inheritdoc />
    public Task ValidateAsync(ViewportJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = _options.GetPreviewPath(context.ViewportId);
        return File.Exists(path) ? Task.CompletedTask : throw new FileNotFoundException("The preview PNG is missing.", path);
    }
}
