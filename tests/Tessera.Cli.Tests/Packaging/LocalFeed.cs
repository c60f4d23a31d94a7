using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Packaging;

/// <summary>
/// Every packable project of the solution (the six library packages and the <c>Tessera.Cli</c> tool), packed once
/// with a unique version into a temporary feed, and a NuGet.config for apps outside the repository that restore
/// from it (and from nuget.org for everything else).
/// </summary>
public sealed class LocalFeed : IDisposable
{
    private readonly TempDirectory _dir = new("tessera-feed");

    public LocalFeed()
    {
        Version = $"0.0.0-feed{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
        Feed = Directory.CreateDirectory(Path.Combine(_dir.Path, "feed")).FullName;
        Packages = Path.Combine(_dir.Path, "packages");
        var pack = ProcessRunner.Run(
            "dotnet",
            ["pack", Path.Combine(RepositoryPaths.Root, "Tessera.sln"), "-c", RepositoryPaths.Configuration, "--no-build", "-o", Feed,
                $"-p:PackageVersion={Version}", $"-p:NuspecOutputPath={Path.Combine(_dir.Path, "nuspec")}/", "-nologo"],
            _dir.Path,
            TimeSpan.FromMinutes(6));
        PackOutput = pack.Output;
        PackExitCode = pack.ExitCode;
    }

    /// <summary>The packages' version.</summary>
    public string Version { get; }

    /// <summary>The folder holding the <c>.nupkg</c> files.</summary>
    public string Feed { get; }

    /// <summary>A global packages folder of its own, so the feed's packages are never mixed with cached ones.</summary>
    public string Packages { get; }

    /// <summary><c>dotnet pack</c>'s exit code.</summary>
    public int PackExitCode { get; }

    /// <summary><c>dotnet pack</c>'s output.</summary>
    public string PackOutput { get; }

    /// <summary>Makes <paramref name="folder"/> a stand-alone place for an app: this feed, nuget.org, and none of the repository's props.</summary>
    /// <param name="folder">The app's folder (outside the repository).</param>
    public void WriteAppConfiguration(string folder) => ScratchApp.Configure(folder, Feed, Packages);

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();
}

/// <summary>The tests that share one <see cref="LocalFeed"/> (packing takes a while).</summary>
[CollectionDefinition(Name)]
public sealed class LocalFeedCollection : ICollectionFixture<LocalFeed>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "local feed";
}
