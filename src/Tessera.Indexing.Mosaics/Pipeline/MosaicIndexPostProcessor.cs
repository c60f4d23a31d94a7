using Microsoft.Extensions.Options;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// The <c>index</c> feature: builds the viewport's FAISS index, <c>all_embeddings.npy</c> and
/// <c>metadata.json</c> with the mosaic indexer (a valid cached build is kept), and validates
/// them by opening the viewport for search.
/// </summary>
public sealed class MosaicIndexPostProcessor : IViewportPostProcessor
{
    /// <summary>The feature name.</summary>
    public const string FeatureName = "index";

    private readonly IMosaicIndexer _indexer;
    private readonly ViewportPipelineOptions _options;
    private readonly IVectorIndexBuilder _indexBuilder;

    /// <summary>Creates the step.</summary>
    /// <param name="indexer">The mosaic indexer.</param>
    /// <param name="options">Index parameters (<see cref="ViewportPipelineOptions.Index"/>).</param>
    /// <param name="indexBuilder">Loads the built index to validate it; default <see cref="FaissIndexBuilder"/>.</param>
    public MosaicIndexPostProcessor(IMosaicIndexer indexer, IOptions<ViewportPipelineOptions> options, IVectorIndexBuilder? indexBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(indexer);
        ArgumentNullException.ThrowIfNull(options);
        _indexer = indexer;
        _options = options.Value;
        _indexBuilder = indexBuilder ?? new FaissIndexBuilder();
    }

    /// <inheritdoc />
    public string Feature => FeatureName;

    /// <inheritdoc />
    public string RunningMessage => "Creating FAISS index...";

    /// <inheritdoc />
    public async Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = _options.Index with
        {
            ViewportId = context.ViewportId,
            OutputRoot = context.IndicesRoot,
            Force = context.Job.Force,
        };
        var result = await _indexer.BuildAsync(
            context.MosaicPath,
            options,
            new SyncProgress<MosaicIndexProgress>(p => progress.Report(p.OverallFraction)),
            cancellationToken).ConfigureAwait(false);
        return result.Status == MosaicIndexStatus.Cached ? ViewportFeatureOutcome.Cached : ViewportFeatureOutcome.Completed;
    }

    /// <inheritdoc />
    public Task ValidateAsync(ViewportJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var searcher = ViewportSearcher.Open(context.ViewportDirectory, _indexBuilder);
        if (!searcher.HasIndex)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"Viewport '{context.ViewportId}' has no FAISS index.");
        }

        return Task.CompletedTask;
    }
}
