using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Fails start-up with a message naming the bad <see cref="ViewportPipelineOptions"/> setting (the index settings through <see cref="MosaicIndexOptionsValidator"/>).</summary>
internal sealed class ViewportPipelineOptionsValidator : IValidateOptions<ViewportPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, ViewportPipelineOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.IndicesRoot))
        {
            failures.Add($"{nameof(ViewportPipelineOptions.IndicesRoot)} must name the folder that holds the viewports' indexes.");
        }

        if (options.QueueCapacity < 1)
        {
            failures.Add($"{nameof(ViewportPipelineOptions.QueueCapacity)} must be at least 1 (got {options.QueueCapacity}).");
        }

        if (options.MaxConcurrentJobs < 1)
        {
            failures.Add($"{nameof(ViewportPipelineOptions.MaxConcurrentJobs)} must be at least 1 (got {options.MaxConcurrentJobs}).");
        }

        if (options.Index is null)
        {
            failures.Add($"{nameof(ViewportPipelineOptions.Index)} must hold the index settings.");
        }
        else
        {
            failures.AddRange(MosaicIndexOptionsValidator.Check(options.Index, nameof(ViewportPipelineOptions.Index) + ":", includeTarget: false).Select(p => p.Message));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
