using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Tessera.Cli.Tests.Images;
using Tessera.Cli.Tests.Mosaics;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Packaging;

/// <summary>
/// README cannot drift: its install section's <c>dotnet add package</c> lines become the package references of a
/// fresh app outside the repository, restored from the packed packages; every C# block of its Quick start is
/// pasted into that app, built and run.
/// </summary>
[Collection(LocalFeedCollection.Name)]
public sealed partial class ReadmeQuickStartTests
{
    private readonly LocalFeed _feed;

    public ReadmeQuickStartTests(LocalFeed feed) => _feed = feed;

    [Fact]
    public void Every_quick_start_block_builds_and_runs_from_the_packed_packages()
    {
        Assert.True(_feed.PackExitCode == 0, _feed.PackOutput);
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var packages = InstalledPackages(readme);
        var snippets = QuickStartSnippets(readme);
        Assert.Contains("Tessera.Indexing", packages);
        Assert.Contains("Microsoft.Extensions.DependencyInjection", packages);
        Assert.True(snippets.Count >= 3, $"expected the Quick start's C# blocks, found {snippets.Count}");

        using var dir = new TempDirectory("tessera-readme");
        var app = dir.Path;
        _feed.WriteAppConfiguration(app);
        File.WriteAllText(Path.Combine(app, "App.csproj"), Project(packages));
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program(snippets));
        CliMosaics.WriteBytes(Path.Combine(app, "mosaic.tif"), 256, 128);
        Directory.CreateDirectory(Path.Combine(app, "images"));
        for (var i = 0; i < 6; i++)
        {
            GdalPngWriter.Write(Path.Combine(app, "images", $"item-{i}.png"), 32, 32, 3, TestPixels.Blocks(i, 32, 32));
        }

        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release", "-nologo"], app, TimeSpan.FromMinutes(8));

        Assert.True(run.ExitCode == 0, run.Output + "\n--- Program.cs ---\n" + File.ReadAllText(Path.Combine(app, "Program.cs")));
        var output = run.StandardOutput;
        Assert.Matches(@"Built: .*my_viewport, index IVF\d+,PQ64", output);
        Assert.Matches(@"\n[1-9]\d* pixels with cosine >= 0.95", output);
        Assert.Contains("100,120 ", output, StringComparison.Ordinal);
        Assert.Contains("nearest: 1000 (", output, StringComparison.Ordinal);
        Assert.Contains("indexed 6, failed 0, completed True", output, StringComparison.Ordinal);
        Assert.Matches(@"\nitem-0 1\.000", output);
        Assert.True(File.Exists(Path.Combine(app, "faiss_indices", "my_viewport", "metadata.json")));
    }

    /// <summary>The package ids of the <c>dotnet add package</c> lines in README's Install section.</summary>
    internal static List<string> InstalledPackages(string readme) =>
        AddPackage().Matches(Section(readme, "## Install")).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The <c>```csharp</c> blocks of README's Quick start, in order.</summary>
    internal static List<string> QuickStartSnippets(string readme) =>
        CSharpBlock().Matches(Section(readme, "## Quick start")).Select(m => m.Groups[1].Value).ToList();

    private static string Section(string readme, string heading)
    {
        var start = readme.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{heading}' section");
        var end = readme.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private string Project(IEnumerable<string> packages)
    {
        var central = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        return ScratchApp.Project(packages.Select(id => (id,
            id.StartsWith("Tessera.", StringComparison.Ordinal) ? _feed.Version
            : central.TryGetValue(id, out var v) ? v
            : throw new InvalidOperationException($"README installs {id}, which Directory.Packages.props does not pin."))));
    }

    /// <summary>
    /// One program running every block in turn: each block's <c>using</c> directives go to the top, its statements
    /// into a local function of their own (so names do not clash), exactly as written otherwise.
    /// </summary>
    private static string Program(IReadOnlyList<string> snippets)
    {
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var calls = new StringBuilder();
        var bodies = new StringBuilder();
        for (var i = 0; i < snippets.Count; i++)
        {
            var body = new StringBuilder();
            foreach (var line in snippets[i].Split('\n'))
            {
                if (UsingDirective().IsMatch(line))
                {
                    usings.Add(line.Trim());
                }
                else
                {
                    body.Append("    ").Append(line).Append('\n');
                }
            }

            calls.Append($"Console.WriteLine(\"=== quick start block {i + 1}\");\nawait Block{i + 1}();\n");
            bodies.Append($"static async Task Block{i + 1}()\n{{\n{body}}}\n\n");
        }

        return string.Join('\n', usings) + "\n\n" + calls + "\n" + bodies;
    }

    [GeneratedRegex(@"^dotnet add package ([A-Za-z0-9_.]+)", RegexOptions.Multiline)]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using [A-Za-z0-9_.]+;\s*$")]
    private static partial Regex UsingDirective();
}
