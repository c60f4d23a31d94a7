using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>Checks <see cref="SupabaseOptions"/>; each failure names the setting (<c>Supabase:Url</c>, …) and never shows the key.</summary>
public sealed partial class SupabaseOptionsValidator : IValidateOptions<SupabaseOptions>
{
    private const string S = SupabaseOptions.SectionName + ":";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SupabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Url))
        {
            failures.Add($"{S}Url is required (configuration or the {SupabaseOptions.UrlEnvironmentVariable} environment variable).");
        }
        else if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{S}Url must be an absolute http or https URL, e.g. https://abcd.supabase.co.");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            failures.Add($"{S}Url must not carry credentials, a query or a fragment.");
        }

        if (string.IsNullOrWhiteSpace(options.Key))
        {
            failures.Add($"{S}Key is required (configuration or the {SupabaseOptions.KeyEnvironmentVariable} environment variable).");
        }
        else if (options.Key.Any(char.IsWhiteSpace) || options.Key.Any(char.IsControl))
        {
            failures.Add($"{S}Key must not contain spaces or control characters.");
        }

        if (!string.IsNullOrEmpty(options.Bucket) && SupabaseStoragePaths.BucketProblem(options.Bucket) is { } bucketProblem)
        {
            failures.Add($"{S}Bucket '{options.Bucket}' is not a bucket name Supabase Storage accepts: {bucketProblem}.");
        }

        if (SupabaseStoragePaths.PrefixProblem(options.Prefix) is { } prefixProblem)
        {
            failures.Add($"{S}Prefix '{options.Prefix}' is not a folder path Supabase Storage accepts: {prefixProblem}.");
        }

        if (options.MaxObjectBytes <= 0)
        {
            failures.Add($"{S}MaxObjectBytes must be positive.");
        }

        if (options.ResumableThresholdBytes <= 0)
        {
            failures.Add($"{S}ResumableThresholdBytes must be positive.");
        }

        if (options.ResumableChunkBytes <= 0)
        {
            failures.Add($"{S}ResumableChunkBytes must be positive.");
        }

        if (options.ListPageSize is < 1 or > 1000)
        {
            failures.Add($"{S}ListPageSize must be between 1 and 1000.");
        }

        if (string.IsNullOrWhiteSpace(options.ImmutableCacheControl) || options.ImmutableCacheControl.Any(char.IsControl))
        {
            failures.Add($"{S}ImmutableCacheControl must be a Cache-Control value such as 'max-age=3600'.");
        }

        ValidateRetry(options.Retry, failures);
        ValidateTable(options.Table, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateRetry(SupabaseRetryOptions? retry, List<string> failures)
    {
        if (retry is null)
        {
            failures.Add($"{S}Retry is required.");
            return;
        }

        if (retry.MaxRetryAttempts is < 0 or > 100)
        {
            failures.Add($"{S}Retry:MaxRetryAttempts must be between 0 and 100.");
        }

        if (retry.BaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{S}Retry:BaseDelay must not be negative.");
        }

        if (retry.MaxDelay < retry.BaseDelay)
        {
            failures.Add($"{S}Retry:MaxDelay must be at least Retry:BaseDelay.");
        }

        if (retry.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{S}Retry:AttemptTimeout must be positive.");
        }
    }

    private static void ValidateTable(SupabaseTableOptions? table, List<string> failures)
    {
        if (table is null)
        {
            failures.Add($"{S}Table is required.");
            return;
        }

        CheckIdentifier(table.Schema, "Table:Schema", required: true, failures);
        CheckIdentifier(table.Name, "Table:Name", required: true, failures);
        CheckIdentifier(table.IdColumn, "Table:IdColumn", required: true, failures);
        CheckIdentifier(table.ImageUrlColumn, "Table:ImageUrlColumn", required: true, failures);
        CheckIdentifier(table.BrandColumn, "Table:BrandColumn", required: false, failures);
        if (table.PageSize is < 1 or > 100_000)
        {
            failures.Add($"{S}Table:PageSize must be between 1 and 100000.");
        }
    }

    private static void CheckIdentifier(string? value, string setting, bool required, List<string> failures)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                failures.Add($"{S}{setting} is required.");
            }

            return;
        }

        if (!Identifier().IsMatch(value))
        {
            failures.Add($"{S}{setting} '{value}' must be a plain SQL identifier (letters, digits, '_'; not starting with a digit).");
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
