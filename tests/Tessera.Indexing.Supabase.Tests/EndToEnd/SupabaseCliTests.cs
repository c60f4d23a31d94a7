using System.Text;
using System.Text.Json.Nodes;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Supabase.Tests.EndToEnd;

/// <summary>The real <c>tessera</c> command with <c>--store supabase://bucket/prefix</c>, URL and key from the environment.</summary>
public sealed class SupabaseCliTests
{
    [Fact]
    public async Task Build_images_and_check_alignment_accept_a_supabase_store_from_the_environment()
    {
        await using var server = await FakeSupabaseServer.StartAsync();
        using var dir = new TempDirectory("tessera-supabase-cli");
        var csv = new StringBuilder("id,image,brand\n");
        for (var i = 0; i < 24; i++)
        {
            TestPng.Write(dir.File($"images/p{i:D3}.png"), i);
            csv.Append(CultureInvariant($"p{i:D3},images/p{i:D3}.png,brand-{i % 2}\n"));
        }

        File.WriteAllText(dir.File("items.csv"), csv.ToString());
        server.AddFault(FaultKind.InternalError, r => r.Method == "POST" && r.Path.EndsWith("/progress.json", StringComparison.Ordinal));
        server.AddFault(FaultKind.DropResponseMidBody, r => r.Path.StartsWith("/storage/v1/object/authenticated/", StringComparison.Ordinal));

        var environment = new Dictionary<string, string?>
        {
            [SupabaseOptions.UrlEnvironmentVariable] = server.Url.ToString(),
            [SupabaseOptions.KeyEnvironmentVariable] = server.ServiceRoleJwt,
        };
        var build = TesseraCommand.Run(["build-images", "--items", dir.File("items.csv"), "--store", "supabase://faiss/cli/run1", "--items-per-shard", "10", "--batch", "4", "--json"], environment);
        var check = TesseraCommand.Run(["check-alignment", "--store", "supabase://faiss/cli/run1", "--items", dir.File("items.csv"), "--sample", "5"], environment);

        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        var result = JsonNode.Parse(build.StandardOutput)!;
        Assert.Equal(24, result["indexed"]!.GetValue<long>());
        Assert.Equal("supabase://faiss/cli/run1", result["store"]!.GetValue<string>());
        Assert.True(check.ExitCode == 0, check.StandardError + check.StandardOutput);
        Assert.Contains("aligned", check.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("cli/run1/progress.json", server.ObjectPaths("faiss"));
        Assert.Contains("cli/run1/histogram_color_shard_00003.index", server.ObjectPaths("faiss"));
        foreach (var output in new[] { build.StandardOutput, build.StandardError, check.StandardOutput, check.StandardError })
        {
            Assert.DoesNotContain(server.ServiceRoleJwt, output, StringComparison.Ordinal);
        }

        foreach (var path in server.ObjectPaths("faiss"))
        {
            Assert.DoesNotContain(server.ServiceRoleJwt, Encoding.UTF8.GetString(server.ObjectContent("faiss", path)!), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_supabase_store_without_url_or_key_fails_naming_the_variables()
    {
        using var dir = new TempDirectory("tessera-supabase-cli");
        TestPng.Write(dir.File("images/a.png"), 1);
        File.WriteAllText(dir.File("items.csv"), "id,image,brand\na,images/a.png,b\n");

        var build = TesseraCommand.Run(["build-images", "--items", dir.File("items.csv"), "--store", "supabase://faiss/x"]);

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("SUPABASE_URL", build.StandardError + build.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_alignment_says_when_the_bucket_does_not_exist_or_the_key_may_not_see_it()
    {
        await using var server = await FakeSupabaseServer.StartAsync();
        server.CreateBucket("faiss");
        server.SeedObject("faiss", "cli/run1/progress.json", "{}"u8.ToArray(), "application/json");
        using var dir = new TempDirectory("tessera-supabase-cli");
        TestPng.Write(dir.File("images/a.png"), 1);
        File.WriteAllText(dir.File("items.csv"), "id,image,brand\na,images/a.png,b\n");
        Dictionary<string, string?> Environment(string key) => new()
        {
            [SupabaseOptions.UrlEnvironmentVariable] = server.Url.ToString(),
            [SupabaseOptions.KeyEnvironmentVariable] = key,
        };

        var missing = TesseraCommand.Run(["check-alignment", "--store", "supabase://nosuch/cli/run1", "--items", dir.File("items.csv")], Environment(server.ServiceRoleJwt));
        var anon = TesseraCommand.Run(["check-alignment", "--store", "supabase://faiss/cli/run1", "--items", dir.File("items.csv")], Environment(server.AnonJwt));

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("bucket 'nosuch' does not exist", missing.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, anon.ExitCode);
        Assert.Contains("row-level security", anon.StandardError, StringComparison.Ordinal);
        foreach (var run in new[] { missing, anon })
        {
            Assert.DoesNotContain("holds no sharded index", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        }

        Assert.False(server.BucketExists("nosuch"));
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
