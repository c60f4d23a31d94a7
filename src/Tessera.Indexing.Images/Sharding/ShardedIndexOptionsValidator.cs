using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>Validates <see cref="ShardedIndexOptions"/> bound from configuration, naming the bad setting.</summary>
public sealed class ShardedIndexOptionsValidator : IValidateOptions<ShardedIndexOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ShardedIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"ShardedIndexOptions: {e.Message}");
        }
    }
}
