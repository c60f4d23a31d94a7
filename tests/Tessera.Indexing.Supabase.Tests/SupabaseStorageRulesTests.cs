using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Tests.Server;

namespace Tessera.Indexing.Supabase.Tests;

/// <summary>The client's name rules against the server's own (its regular expressions in <see cref="StorageRules"/>).</summary>
public sealed class SupabaseStorageRulesTests
{
    /// <summary>Every ASCII character, the Latin-1 letters, a CJK character, a non-breaking space and an emoji.</summary>
    public static TheoryData<string> Characters()
    {
        var data = new TheoryData<string>();
        for (var c = 0; c < 128; c++)
        {
            data.Add(((char)c).ToString());
        }

        foreach (var text in new[] { "\u00e9", "\u00fc", "\u00df", "\u4e2d", "\u00a0", "\U0001F600", "\u0130" })
        {
            data.Add(text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Characters))]
    public void The_client_accepts_a_key_character_exactly_when_the_server_does(string character) =>
        AssertAgree(character, "runs/a" + character + "b", StorageRules.IsValidKey, SupabaseStoragePaths.KeyProblem);

    [Theory]
    [MemberData(nameof(Characters))]
    public void The_client_accepts_a_bucket_character_exactly_when_the_server_does(string character) =>
        AssertAgree(character, "a" + character + "b", StorageRules.IsValidBucketName, SupabaseStoragePaths.BucketProblem);

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(100)]
    public void The_client_and_the_server_agree_on_bucket_name_lengths(int length)
    {
        var bucket = new string('b', length);

        Assert.Equal(StorageRules.IsValidBucketName(bucket), SupabaseStoragePaths.BucketProblem(bucket) is null);
    }

    [Fact]
    public void A_refused_character_is_named_with_its_code_point()
    {
        Assert.Contains("'\u00fc' (U+00FC)", SupabaseStoragePaths.KeyProblem("runs/\u00fcber"), StringComparison.Ordinal);
        Assert.Contains("U+0007", SupabaseStoragePaths.KeyProblem("a\u0007b"), StringComparison.Ordinal);
    }

    private static void AssertAgree(string character, string name, Func<string, bool> server, Func<string, string?> client)
    {
        var accepted = server(name);
        var problem = client(name);

        Assert.True(accepted == problem is null, $"U+{char.ConvertToUtf32(character, 0):X4}: server {(accepted ? "accepts" : "refuses")}, client says {problem ?? "valid"}");
    }
}
