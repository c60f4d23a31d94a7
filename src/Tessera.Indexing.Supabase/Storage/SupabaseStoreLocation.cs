using System.Diagnostics.CodeAnalysis;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>A store location <c>supabase://bucket/prefix</c>: a bucket and an optional folder inside it. It never carries the project URL or key.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Prefix">The folder inside the bucket (no leading or trailing '/'; empty for the root).</param>
/// <remarks>
/// The bucket and prefix are taken as written (no percent-decoding) and must be names Supabase Storage accepts:
/// bucket names of 1 to 63 ASCII letters, digits and <c>_ ! - . * ' ( ) space &amp; $ @ = ; : + , ?</c>, and
/// prefixes of the same characters and <c>/</c>, without empty, <c>.</c> or <c>..</c> segments. A bucket with an
/// <c>@</c> cannot be named in a location (it reads as credentials); name it with <c>Supabase:Bucket</c>.
/// </remarks>
public sealed record SupabaseStoreLocation(string Bucket, string Prefix)
{
    /// <summary>The URI scheme, <c>supabase</c>.</summary>
    public const string Scheme = "supabase";

    private const string SchemePrefix = Scheme + "://";

    /// <summary>Whether <paramref name="location"/> starts with <c>supabase://</c> (whether or not the rest is valid).</summary>
    /// <param name="location">The location.</param>
    /// <returns>Whether it is a Supabase location, valid or not.</returns>
    public static bool HasScheme(string? location) => location is not null && location.StartsWith(SchemePrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>supabase://bucket</c> or <c>supabase://bucket/some/prefix</c>.</summary>
    /// <param name="location">The location.</param>
    /// <param name="result">The bucket and prefix.</param>
    /// <returns>Whether <paramref name="location"/> is a valid Supabase location.</returns>
    public static bool TryParse(string? location, [NotNullWhen(true)] out SupabaseStoreLocation? result) => TryParse(location, out result, out _);

    /// <summary>Parses a location, throwing on a malformed one.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The bucket and prefix.</returns>
    /// <exception cref="FormatException">It is not <c>supabase://bucket[/prefix]</c> with a bucket and prefix Supabase Storage accepts (the message says what is wrong).</exception>
    public static SupabaseStoreLocation Parse(string location) =>
        TryParse(location, out var result, out var problem)
            ? result
            : throw new FormatException($"'{location}' is not a Supabase store location (supabase://bucket or supabase://bucket/prefix): {problem}.");

    /// <summary>Formats a bucket and prefix as <c>supabase://bucket/prefix</c>.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">The folder inside it.</param>
    /// <returns>The location.</returns>
    public static string Format(string bucket, string? prefix)
    {
        var normalized = SupabaseStoragePaths.NormalizePrefix(prefix);
        return normalized.Length == 0 ? $"{Scheme}://{bucket}" : $"{Scheme}://{bucket}/{normalized}";
    }

    /// <inheritdoc />
    public override string ToString() => Format(Bucket, Prefix);

    private static bool TryParse(string? location, [NotNullWhen(true)] out SupabaseStoreLocation? result, [NotNullWhen(false)] out string? problem)
    {
        result = null;
        if (!HasScheme(location))
        {
            problem = $"it does not start with {SchemePrefix}";
            return false;
        }

        var rest = location![SchemePrefix.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (bucket.Length == 0)
        {
            problem = "it names no bucket";
            return false;
        }

        if (bucket.Contains('@', StringComparison.Ordinal))
        {
            problem = "it looks like it carries credentials (an '@' before the first '/'); a location never holds the project URL or key "
                + $"(set Supabase:Url and Supabase:Key, or {SupabaseOptions.UrlEnvironmentVariable} and {SupabaseOptions.KeyEnvironmentVariable}), "
                + "and a bucket whose name has an '@' is named with Supabase:Bucket";
            return false;
        }

        if (SupabaseStoragePaths.BucketProblem(bucket) is { } bucketProblem)
        {
            problem = $"the bucket '{bucket}' is not a name Supabase Storage accepts: {bucketProblem}";
            return false;
        }

        if (SupabaseStoragePaths.PrefixProblem(prefix) is { } prefixProblem)
        {
            problem = $"the prefix '{prefix}' is not a folder path Supabase Storage accepts: {prefixProblem}";
            return false;
        }

        result = new SupabaseStoreLocation(bucket, SupabaseStoragePaths.NormalizePrefix(prefix));
        problem = null;
        return true;
    }
}
