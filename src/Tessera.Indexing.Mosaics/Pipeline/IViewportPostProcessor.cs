namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// A step that runs after the download stage, in parallel with every other registered step (index
/// creation, pyramids, previews...). Register with <c>TryAddEnumerable</c>.
/// </summary>
public interface IViewportPostProcessor
{
    /// <summary>The feature this step provides (<c>index</c>, <c>preview</c>...): its status key.</summary>
    string Feature { get; }

    /// <summary>A short message while it runs, such as <c>Creating FAISS index...</c>.</summary>
    string RunningMessage => $"Creating {Feature}...";

    /// <summary>Whether its failure fails the viewport. Optional features (the default) leave it usable with the feature missing.</summary>
    bool IsRequired => false;

    /// <summary>Builds the feature, or finds a valid cached build.</summary>
    /// <param name="context">The job, after the download stage.</param>
    /// <param name="progress">Fraction done, 0..1.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Built or cached.</returns>
    Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken);

    /// <summary>Checks the outputs in the validation stage; throws when they are unusable.</summary>
    /// <param name="context">The job.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    /// <returns>A task.</returns>
    Task ValidateAsync(ViewportJobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
