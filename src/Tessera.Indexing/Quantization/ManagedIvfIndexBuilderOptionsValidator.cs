using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Quantization;

/// <summary>Fails options validation with a message naming the invalid <see cref="ManagedIvfIndexBuilderOptions"/> setting.</summary>
internal sealed class ManagedIvfIndexBuilderOptionsValidator : IValidateOptions<ManagedIvfIndexBuilderOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagedIvfIndexBuilderOptions options) =>
        options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
