using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Packaging;

/// <summary>The <c>tessera</c> CLI installs from the packed feed as a .NET tool and runs.</summary>
[Collection(LocalFeedCollection.Name)]
public sealed class ToolInstallTests
{
    private readonly LocalFeed _feed;

    public ToolInstallTests(LocalFeed feed) => _feed = feed;

    [Fact]
    public void The_tool_installs_into_a_tool_path_and_runs_faiss_smoke_and_demo()
    {
        Assert.True(_feed.PackExitCode == 0, _feed.PackOutput);
        using var dir = new TempDirectory("tessera-tool");
        _feed.WriteAppConfiguration(dir.Path);
        var tools = Path.Combine(dir.Path, "tools");

        var install = ProcessRunner.Run(
            "dotnet",
            ["tool", "install", "Tessera.Cli", "--tool-path", tools, "--version", _feed.Version, "--configfile", Path.Combine(dir.Path, "NuGet.config")],
            dir.Path,
            TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, install.Output);

        var tessera = Path.Combine(tools, "tessera");
        var environment = new Dictionary<string, string> { ["NO_COLOR"] = "1" };
        var smoke = ProcessRunner.Run(tessera, ["faiss-smoke", "--count", "3000"], dir.Path, TimeSpan.FromMinutes(3), environment);
        var demo = ProcessRunner.Run(tessera, ["demo", "--size", "128", "--out", Path.Combine(dir.Path, "demo")], dir.Path, TimeSpan.FromMinutes(5), environment);
        var doctor = ProcessRunner.Run(tessera, ["doctor"], dir.Path, TimeSpan.FromMinutes(2), environment);

        Assert.True(smoke.ExitCode == 0, smoke.Output);
        Assert.Contains("nearest to vector 0: 0 (", smoke.StandardOutput, StringComparison.Ordinal);
        Assert.True(demo.ExitCode == 0, demo.Output);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "demo"), "metadata.json", SearchOption.AllDirectories));
        Assert.True(doctor.ExitCode == 0, doctor.Output);
        Assert.Contains(Path.Combine(tools, ".store"), doctor.StandardOutput, StringComparison.Ordinal);
    }
}
