using Microsoft.Extensions.Options;

namespace Tessera.Server;

/// <summary>Fails start-up naming the bad <see cref="ServerOptions"/> setting.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.IndicesRoot))
        {
            failures.Add("Tessera:IndicesRoot must name the folder of the viewports' indexes.");
        }

        if (string.IsNullOrWhiteSpace(options.MosaicsRoot))
        {
            failures.Add("Tessera:MosaicsRoot must name the folder clients' mosaic paths are confined to.");
        }

        if (options.MaxImageSize is < 16 or > 8192)
        {
            failures.Add($"Tessera:MaxImageSize must be between 16 and 8192 (got {options.MaxImageSize}).");
        }

        if (options.MaxResultsPerRequest is < 1 or > 10_000_000)
        {
            failures.Add($"Tessera:MaxResultsPerRequest must be between 1 and 10,000,000 (got {options.MaxResultsPerRequest}).");
        }

        if (options.MaxResponseBytes is < 64 * 1024 or > 2L << 30)
        {
            failures.Add($"Tessera:MaxResponseBytes must be between 65,536 and 2,147,483,648 (got {options.MaxResponseBytes}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
