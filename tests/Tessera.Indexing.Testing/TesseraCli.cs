using System.Diagnostics;

namespace Tessera.Indexing.Testing;

/// <summary>Runs the real <c>tessera</c> command (samples/Tessera.Cli, built beside the tests) as a child process.</summary>
public static class TesseraCli
{
    /// <summary>The path of <c>tessera.dll</c> built beside the calling test assembly.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "tessera.dll");

    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Starts <c>dotnet tessera.dll args</c> without waiting.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Runs <c>dotnet tessera.dll args</c> to completion (at most <paramref name="timeout"/>, default 5 minutes).</summary>
    public static Result Run(string[] args, TimeSpan? timeout = null)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tessera {string.Join(' ', args)} did not finish in time");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
