using System.Diagnostics;

namespace Tessera.Indexing.Testing;

/// <summary>Starts programs for tests and runs them to completion, capturing their output.</summary>
public static class ProcessRunner
{
    /// <summary>What a finished program printed.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Standard output followed by standard error.</summary>
        public string Output => StandardOutput + StandardError;
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="args"/>, output redirected, without waiting.</summary>
    public static Process Start(string fileName, IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
    }

    /// <summary>Runs <paramref name="fileName"/> to completion; kills it and throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static Result Run(string fileName, IEnumerable<string> args, string? workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var argList = args.ToList();
        using var process = Start(fileName, argList, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', argList)} did not finish in {timeout}");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
