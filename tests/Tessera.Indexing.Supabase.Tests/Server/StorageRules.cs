using System.Text.RegularExpressions;

namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>
/// Supabase Storage's own name rules, as its <c>src/storage/limits.ts</c> (<c>isValidKey</c>,
/// <c>isValidBucketName</c>) writes them: the same regular expressions, with ECMAScript semantics so
/// <c>\w</c> is ASCII only, as in JavaScript. The fake server refuses what these refuse.
/// </summary>
public static partial class StorageRules
{
    public static bool IsValidKey(string? key) => !string.IsNullOrEmpty(key) && KeyPattern().IsMatch(key);

    public static bool IsValidBucketName(string? name) => !string.IsNullOrEmpty(name) && name.Length < 64 && BucketPattern().IsMatch(name);

    [GeneratedRegex(@"^(\w|/|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$", RegexOptions.ECMAScript)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$", RegexOptions.ECMAScript)]
    private static partial Regex BucketPattern();
}
