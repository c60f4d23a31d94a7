namespace Tessera.Indexing.Testing;

/// <summary>Locations inside the repository the tests run from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding <c>Tessera.sln</c>, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the running test assembly.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tessera.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Tessera.sln not found above " + AppContext.BaseDirectory);
    }
}
