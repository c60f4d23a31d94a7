namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>Bucket names, prefixes and object paths as Supabase Storage spells them.</summary>
internal static class SupabaseStoragePaths
{
    public static bool IsValidBucket(string bucket)
    {
        if (string.IsNullOrEmpty(bucket) || bucket.Length > 100 || bucket is "." or "..")
        {
            return false;
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A prefix is empty, or folder names separated by '/', with an optional trailing '/'.</summary>
    public static bool IsValidPrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return true;
        }

        var trimmed = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        return IsValidName(trimmed);
    }

    /// <summary>An object name: non-empty segments separated by '/', none '.' or '..', no control characters or backslashes.</summary>
    public static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return false;
            }
        }

        return true;
    }

    // Today's rules behind the new tests' names (a step to show the tests fail on today's behaviour).
    public static string? KeyProblem(string key) => IsValidName(key) ? null : "not valid";

    public static string? BucketProblem(string bucket) => IsValidBucket(bucket) ? null : "not valid";

    /// <summary>The prefix without surrounding slashes.</summary>
    public static string NormalizePrefix(string? prefix) => (prefix ?? string.Empty).Trim('/');

    /// <summary>Joins a normalized prefix and a relative name.</summary>
    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "/" + name;

    /// <summary>Escapes each segment of an object path for a URL, keeping the '/' separators.</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
