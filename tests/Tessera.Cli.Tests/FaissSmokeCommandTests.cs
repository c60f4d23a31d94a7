using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests;

public sealed class FaissSmokeCommandTests
{
    [Fact]
    public void Faiss_smoke_builds_saves_reloads_and_finds_the_query_vector_itself()
    {
        using var dir = new TempDirectory();
        var path = dir.File("smoke.index");

        var result = TesseraCli.Run(["faiss-smoke", "--count", "3000", "--index", "IVF16,Flat", "--out", path]);

        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        Assert.Contains("FAISS 1.7.3", result.StandardOutput);
        Assert.Contains("nearest to vector 0: 0 (0.000)", result.StandardOutput);
        Assert.True(new FileInfo(path).Length > 3000 * 128 * 4);
    }
}
