using System.Diagnostics;

namespace Tessera.Indexing.Testing;

/// <summary>Runs the real <c>tessera</c> command (samples/Tessera.Cli, built beside the tests) as a child process.</summary>
public static class TesseraCli
{
    private static readonly Dictionary<string, string> ChildEnvironment = new() { ["NO_COLOR"] = "1" };

    /// <summary>The path of <c>tessera.dll</c> built beside the calling test assembly.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "tessera.dll");

    /// <summary>Starts <c>dotnet tessera.dll args</c> without waiting.</summary>
    public static Process Start(params string[] args) =>
        ProcessRunner.Start("dotnet", [DllPath, .. args], environment: ChildEnvironment);

    /// <summary>Runs <c>dotnet tessera.dll args</c> to completion (at most <paramref name="timeout"/>, default 5 minutes).</summary>
    public static ProcessRunner.Result Run(string[] args, TimeSpan? timeout = null) =>
        ProcessRunner.Run("dotnet", [DllPath, .. args], workingDirectory: null, timeout ?? TimeSpan.FromMinutes(5), ChildEnvironment);
}
