namespace Tessera.Indexing.Testing;

/// <summary>An app folder outside the repository that restores Tessera's packed packages from a local feed, as a user's app would.</summary>
public static class ScratchApp
{
    /// <summary>
    /// Makes <paramref name="folder"/> stand alone: a NuGet.config with <paramref name="feed"/> and nuget.org (and a
    /// global packages folder of its own, so packed versions never mix with cached ones), and empty
    /// Directory.Build/Packages files so none of the repository's settings apply.
    /// </summary>
    /// <param name="folder">The app's folder.</param>
    /// <param name="feed">The folder holding the <c>.nupkg</c> files.</param>
    /// <param name="packages">The global packages folder to restore into.</param>
    public static void Configure(string folder, string feed, string packages)
    {
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <fallbackPackageFolders>
                <add key="user" value="{Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")}" />
              </fallbackPackageFolders>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />");
    }

    /// <summary>A console app project (net10.0, nullable, implicit usings) with <paramref name="references"/> (id, version).</summary>
    /// <param name="references">The package references.</param>
    /// <returns>The project file's text.</returns>
    public static string Project(IEnumerable<(string Id, string Version)> references)
    {
        var items = string.Concat(references.Select(r => $"    <PackageReference Include=\"{r.Id}\" Version=\"{r.Version}\" />\n"));
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>CS1998</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {items}  </ItemGroup>
            </Project>
            """;
    }
}
