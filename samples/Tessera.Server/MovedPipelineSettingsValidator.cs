using System.Reflection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Pipeline;

namespace Tessera.Server;

/// <summary>
/// Fails start-up when an index setting is still written directly under <c>Tessera:Pipeline</c>
/// (where it would now be ignored) instead of under <c>Tessera:Pipeline:Index</c>, naming its new place.
/// </summary>
internal sealed class MovedPipelineSettingsValidator(IConfiguration configuration) : IValidateOptions<ViewportPipelineOptions>
{
    public const string Section = "Tessera:Pipeline";

    private const BindingFlags Property = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;

    public ValidateOptionsResult Validate(string? name, ViewportPipelineOptions options)
    {
        var moved = configuration.GetSection(Section).GetChildren()
            .Select(c => c.Key)
            .Where(key => typeof(MosaicIndexOptions).GetProperty(key, Property) is not null && typeof(ViewportPipelineOptions).GetProperty(key, Property) is null)
            .Select(key => $"{Section}:{key} moved to {Section}:{nameof(ViewportPipelineOptions.Index)}:{key}.")
            .ToArray();
        return moved.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(moved);
    }
}
