using System.Diagnostics;
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
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(scriptPath);
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // Keep FAISS in Python single-threaded: faster start, same results.
            start.Environment["OMP_NUM_THREADS"] = "1";
            using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
            var stdoutTask = process.StandardOutput.ReadToEndAsync();
            var stderrTask = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("python3 did not finish in 5 minutes");
            }

            var stdout = stdoutTask.GetAwaiter().GetResult();
            var stderr = stderrTask.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"python3 exited with {process.ExitCode}:\n{stderr}\n{stdout}");
            }

            return stdout;
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }
}
