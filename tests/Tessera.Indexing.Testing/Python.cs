using System.Text.Json;

namespace Tessera.Indexing.Testing;

/// <summary>
/// Runs Debian's Python (<c>/usr/bin/python3</c>, with python3-faiss, python3-numpy and python3-gdal)
/// as the other side of interop tests. Scripts print one JSON document on stdout.
/// </summary>
public static class Python
{
    public const string Executable = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> (as <c>sys.argv[1:]</c>) and parses its stdout as JSON.</summary>
    public static JsonElement RunJson(string script, params string[] args)
    {
        var stdout = Run(script, args);
        using var document = JsonDocument.Parse(stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Runs <paramref name="script"/> and returns its stdout; fails the test with stderr when it exits non-zero.</summary>
    public static string Run(string script, params string[] args)
    {
        var scriptPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"tessera-py-{Guid.NewGuid():N}.py");
        File.WriteAllText(scriptPath, script);
        try
        {
            // Keep FAISS in Python single-threaded: faster start, same results.
            var result = ProcessRunner.Run(
                Executable,
                [scriptPath, .. args],
                workingDirectory: null,
                TimeSpan.FromMinutes(5),
                new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1" });
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3 exited with {result.ExitCode}:\n{result.StandardError}\n{result.StandardOutput}");
            }

            return result.StandardOutput;
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
