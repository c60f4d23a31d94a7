using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// The one set of checks of <see cref="MosaicIndexOptions"/>. Every message names the setting it is
/// about (for example <c>The sampling factor (SamplingFactor) must be at least 1 (got 0).</c>), so a
/// bad value fails at start-up, or at the start of a build, saying what to change.
/// </summary>
/// <remarks>
/// As an <see cref="IValidateOptions{TOptions}"/> it checks the build settings of configured options
/// (a template, such as <c>ViewportPipelineOptions.Index</c>); <see cref="MosaicIndexOptions.Validate"/>
/// also checks the per-build <see cref="MosaicIndexOptions.ViewportId"/> and <see cref="MosaicIndexOptions.OutputRoot"/>.
/// </remarks>
public sealed class MosaicIndexOptionsValidator : IValidateOptions<MosaicIndexOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MosaicIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Check(options, string.Empty, includeTarget: false);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => p.Message));
    }

    /// <summary>Every problem of <paramref name="options"/>, in the order of the settings.</summary>
    /// <param name="options">The options.</param>
    /// <param name="prefix">Prepended to each setting's name (for example <c>Index:</c> inside the pipeline's options).</param>
    /// <param name="includeTarget">Whether to check the viewport id and output root too.</param>
    /// <returns>The problems with the error kind each one raises in a build.</returns>
    internal static List<(MosaicIndexErrorKind Kind, string Message)> Check(MosaicIndexOptions options, string prefix, bool includeTarget)
    {
        var problems = new List<(MosaicIndexErrorKind Kind, string Message)>();
        string Name(string setting) => prefix + setting;
        void Fail(string message, MosaicIndexErrorKind kind = MosaicIndexErrorKind.InvalidOptions) => problems.Add((kind, message));

        if (includeTarget)
        {
            if (!MosaicLayout.IsValidViewportId(options.ViewportId, out var reason))
            {
                Fail($"Invalid viewport id ({Name(nameof(options.ViewportId))}): {reason}.", MosaicIndexErrorKind.InvalidViewportId);
            }

            if (string.IsNullOrWhiteSpace(options.OutputRoot))
            {
                Fail($"The output root ({Name(nameof(options.OutputRoot))}) must not be empty.");
            }
        }

        if (options.SamplingFactor < 1)
        {
            Fail($"The sampling factor ({Name(nameof(options.SamplingFactor))}) must be at least 1 (got {options.SamplingFactor}).");
        }
        else if (options.SamplingOffset < 0 || options.SamplingOffset >= options.SamplingFactor)
        {
            Fail($"The sampling offset ({Name(nameof(options.SamplingOffset))}) must be in [0, {options.SamplingFactor - 1}] for sampling factor {options.SamplingFactor} (got {options.SamplingOffset}).");
        }

        if (string.IsNullOrWhiteSpace(options.IndexFactory))
        {
            Fail($"The index factory string ({Name(nameof(options.IndexFactory))}) must not be empty.", MosaicIndexErrorKind.InvalidIndexFactory);
        }

        if (!Enum.IsDefined(options.Metric))
        {
            Fail($"Unknown metric {options.Metric} ({Name(nameof(options.Metric))}).");
        }

        if (options.TrainSize < 1)
        {
            Fail($"The training-set size ({Name(nameof(options.TrainSize))}) must be at least 1 (got {options.TrainSize}).");
        }

        if (!Enum.IsDefined(options.AllEmbeddingsType))
        {
            Fail($"Unknown all-embeddings type {options.AllEmbeddingsType} ({Name(nameof(options.AllEmbeddingsType))}).");
        }

        if (options.ExpectedDimension is < 1)
        {
            Fail($"The expected dimension ({Name(nameof(options.ExpectedDimension))}) must be at least 1 (got {options.ExpectedDimension}).");
        }

        if (options.MaxReadBytes < 1)
        {
            Fail($"The read size ({Name(nameof(options.MaxReadBytes))}) must be positive (got {options.MaxReadBytes}).");
        }

        if (options.AddBatchSize < 1)
        {
            Fail($"The add batch size ({Name(nameof(options.AddBatchSize))}) must be at least 1 (got {options.AddBatchSize}).");
        }

        return problems;
    }
}
