using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Fails start-up with a message naming the bad <see cref="ViewportPipelineOptions"/> setting.</summary>
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

        if (options.SamplingFactor < 1)
        {
            failures.Add($"{nameof(ViewportPipelineOptions.SamplingFactor)} must be at least 1 (got {options.SamplingFactor}).");
        }

        if (string.IsNullOrWhiteSpace(options.IndexFactory))
        {
            failures.Add($"{nameof(ViewportPipelineOptions.IndexFactory)} must be a FAISS factory string.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
