using System.Text.RegularExpressions;

namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>
/// Supabase Storage's own name rules, as its <c>src/storage/limits.ts</c> (<c>isValidKey</c>,
/// <c>isValidBucketName</c>) writes them: the same regular expressions, with JavaScript's <c>\w</c> (no <c>u</c>
/// flag: ASCII letters, digits and <c>_</c>) spelled out, since .NET's <c>\w</c> is wider, and <c>\z</c> for JavaScript's <c>$</c>
/// (.NET's also matches before a final newline). The fake server refuses what these refuse.
/// </summary>
public static partial class StorageRules
{
    public static bool IsValidKey(string? key) => !string.IsNullOrEmpty(key) && KeyPattern().IsMatch(key);

    public static bool IsValidBucketName(string? name) => !string.IsNullOrEmpty(name) && name.Length < 64 && BucketPattern().IsMatch(name);

    [GeneratedRegex(@"^([A-Za-z0-9_]|/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^([A-Za-z0-9_]|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex BucketPattern();
}
