using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>
/// Bucket names, prefixes and object keys as Supabase Storage accepts them. The characters are the server's own
/// (<c>isValidBucketName</c> and <c>isValidKey</c> in supabase/storage's <c>src/storage/limits.ts</c>): ASCII letters,
/// digits and <c>_ ! - . * ' ( ) space &amp; $ @ = ; : + ,  ?</c>, plus <c>/</c> in keys; bucket names are 1 to 63
/// characters. Keys also may not have empty, <c>.</c> or <c>..</c> segments (the client's rule, shared with the
/// local store, and newer servers' too) and are at most 1,024 bytes. Each check returns what is wrong, or
/// <see langword="null"/>.
/// </summary>
internal static class SupabaseStoragePaths
{
    /// <summary>The longest bucket name the server accepts.</summary>
    public const int MaxBucketLength = 63;

    /// <summary>The longest key (in UTF-8 bytes) S3, and so Supabase Storage, stores.</summary>
    public const int MaxKeyBytes = 1024;

    private const string BucketPunctuation = "_!-.*'() &$@=;:+,?";
    private const string KeyPunctuation = BucketPunctuation + "/";

    /// <summary>What is wrong with a bucket name, or <see langword="null"/> when the server accepts it.</summary>
    public static string? BucketProblem(string? bucket)
    {
        if (string.IsNullOrEmpty(bucket))
        {
            return "it is empty";
        }

        if (bucket.Length > MaxBucketLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {bucket.Length} characters; Supabase Storage takes at most {MaxBucketLength} characters");
        }

        return CharacterProblem(bucket, BucketPunctuation, "bucket names");
    }

    /// <summary>What is wrong with an object key (a path in the bucket), or <see langword="null"/> when the server accepts it.</summary>
    public static string? KeyProblem(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "it is empty";
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "it has an empty segment (a leading, trailing or doubled '/')";
            }

            if (segment is "." or "..")
            {
                return $"it has a '{segment}' segment";
            }
        }

        if (CharacterProblem(key, KeyPunctuation, "keys") is { } problem)
        {
            return problem;
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        return bytes > MaxKeyBytes
            ? string.Create(CultureInfo.InvariantCulture, $"it is {bytes} bytes; Supabase Storage keys are at most {MaxKeyBytes}")
            : null;
    }

    /// <summary>What is wrong with a prefix (empty, or folder names separated by '/', with an optional trailing '/').</summary>
    public static string? PrefixProblem(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return null;
        }

        return KeyProblem(prefix.EndsWith('/') ? prefix[..^1] : prefix);
    }

    public static bool IsValidBucket(string? bucket) => BucketProblem(bucket) is null;

    public static bool IsValidPrefix(string? prefix) => PrefixProblem(prefix) is null;

    /// <summary>The prefix without surrounding slashes.</summary>
    public static string NormalizePrefix(string? prefix) => (prefix ?? string.Empty).Trim('/');

    /// <summary>Joins a normalized prefix and a relative name.</summary>
    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "/" + name;

    /// <summary>Escapes each segment of an object path for a URL, keeping the '/' separators.</summary>
    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>How a character shows in a message: the character itself when printable, always with its code point.</summary>
    public static string Describe(Rune rune) =>
        Rune.IsControl(rune) || (Rune.IsWhiteSpace(rune) && rune.Value != ' ')
            ? string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"'{rune}' (U+{rune.Value:X4})");

    private static string? CharacterProblem(string text, string punctuation, string what)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!rune.IsAscii || !(char.IsAsciiLetterOrDigit((char)rune.Value) || punctuation.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                return $"{Describe(rune)} is not allowed; Supabase Storage {what} take ASCII letters, digits and {Spell(punctuation)}";
            }
        }

        return null;
    }

    private static string Spell(string punctuation) => string.Join(' ', punctuation.Select(c => c == ' ' ? "space" : c.ToString()));
}
