using System.Diagnostics.CodeAnalysis;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>A store location <c>supabase://bucket/prefix</c>: a bucket and an optional folder inside it. It never carries the project URL or key.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Prefix">The folder inside the bucket (no leading or trailing '/'; empty for the root).</param>
public sealed record SupabaseStoreLocation(string Bucket, string Prefix)
{
    /// <summary>The URI scheme, <c>supabase</c>.</summary>
    public const string Scheme = "supabase";

    /// <summary>Parses <c>supabase://bucket</c> or <c>supabase://bucket/some/prefix</c>.</summary>
    /// <param name="location">The location.</param>
    /// <param name="result">The bucket and prefix.</param>
    /// <returns>Whether <paramref name="location"/> is a valid Supabase location.</returns>
    public static bool TryParse(string? location, [NotNullWhen(true)] out SupabaseStoreLocation? result)
    {
        result = null;
        const string start = Scheme + "://";
        if (location is null || !location.StartsWith(start, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = location[start.Length..];
        if (rest.Contains('?') || rest.Contains('#') || rest.Contains('@'))
        {
            return false;
        }

        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        if (!SupabaseStoragePaths.IsValidBucket(bucket) || !SupabaseStoragePaths.IsValidPrefix(prefix))
        {
            return false;
        }

        result = new SupabaseStoreLocation(bucket, SupabaseStoragePaths.NormalizePrefix(prefix));
        return true;
    }

    /// <summary>Parses a location, throwing on a malformed one.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The bucket and prefix.</returns>
    /// <exception cref="FormatException">It is not <c>supabase://bucket[/prefix]</c>.</exception>
    public static SupabaseStoreLocation Parse(string location) =>
        TryParse(location, out var result)
            ? result
            : throw new FormatException($"'{location}' is not a Supabase store location; expected supabase://bucket or supabase://bucket/prefix.");

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
}
