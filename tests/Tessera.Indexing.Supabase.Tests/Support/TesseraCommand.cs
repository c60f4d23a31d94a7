using System.Diagnostics;

namespace Tessera.Indexing.Supabase.Tests.Support;

/// <summary>
/// Runs the real <c>tessera</c> command from samples/Tessera.Cli's own output folder (same configuration as
/// these tests) as a child process, with extra environment variables for the child only.
/// </summary>
public static class TesseraCommand
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static string DllPath
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfm.Parent!.Name;
            var root = tfm;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Tessera.sln")))
            {
                root = root.Parent;
            }

            var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Tessera.sln not found above the test folder"), "samples", "Tessera.Cli", "bin", configuration, tfm.Name, "tessera.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build samples/Tessera.Cli first (the test project references it).", path);
        }
    }

    public static Result Run(string[] args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
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
        start.Environment.Remove("SUPABASE_URL");
        start.Environment.Remove("SUPABASE_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tessera {string.Join(' ', args)} did not finish in time");
        }

        return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
