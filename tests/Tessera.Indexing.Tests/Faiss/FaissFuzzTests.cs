using System.Globalization;
using System.Text.RegularExpressions;
using Tessera.Indexing.Testing;
using Xunit.Abstractions;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>
/// Corrupt index files and hostile factory strings, fed to the library in a child process (this test
/// assembly started through <see cref="StartupHook"/>): every case must end in a clean error or a
/// valid result, never in a signal. A crash is retried from the next case, so one run names every
/// case that kills the process.
/// </summary>
public sealed partial class FaissFuzzTests(ITestOutputHelper output)
{
    private const int MaxRestarts = 5;

    [Fact]
    public void Corrupt_index_files_and_buffers_end_in_a_clean_error_or_a_valid_index_never_a_signal()
    {
        using var dir = new TempDirectory("faiss-fuzz");
        foreach (var factory in FaissTestIndexes.SupportedFactories)
        {
            File.WriteAllBytes(dir.File(FileName(factory)), FaissTestIndexes.Build(factory));
        }

        File.WriteAllBytes(dir.File("ip-IVF4,PQ2x4.index"), FaissTestIndexes.Build("IVF4,PQ2x4", Tessera.Indexing.Indexes.VectorMetric.InnerProduct));
        FaissDirectMapIndexes.Write(dir.File("python-IVF4,Flat-direct-array.index"), dir.File("python-IVF4,Flat-direct-hashtable.index"));

        var bases = FaissFuzzHost.LoadBases(dir.Path);
        var cases = FaissFuzzCases.IndexCases(bases).ToList();
        var summary = Run("index", dir.Path, n => $"{cases[n].Base}: {cases[n].Mutation}");

        // The fuzz must reach both sides: valid indexes that load and search, and every kind of refusal.
        Assert.True(summary.GetValueOrDefault("loaded") > 100, Describe(summary));
        Assert.True(summary.GetValueOrDefault("CorruptIndex") > 1000, Describe(summary));
        Assert.True(summary.GetValueOrDefault("UnsupportedIndex") > 0, Describe(summary));
        Assert.Equal(cases.Count, summary.Values.Sum());
    }

    [Fact]
    public void Hostile_factory_strings_end_in_a_clean_error_or_a_working_index_never_a_signal()
    {
        var strings = FaissFuzzCases.FactoryStrings();

        var summary = Run("factory", "", n => $"'{strings[n]}'");

        Assert.True(summary.GetValueOrDefault("built") > 20, Describe(summary));
        Assert.True(summary.GetValueOrDefault("InvalidFactoryString") > 20, Describe(summary));
        Assert.True(summary.GetValueOrDefault("MemoryBudgetExceeded") > 0, Describe(summary));
    }

    private static string FileName(string factory) => factory.Replace(',', '_') + ".index";

    private static string Describe(IReadOnlyDictionary<string, int> summary) =>
        string.Join(", ", summary.Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>Runs the child until it finishes, restarting after each crash; fails on crashes and unexpected outcomes.</summary>
    private Dictionary<string, int> Run(string mode, string input, Func<int, string> describe)
    {
        var crashes = new List<string>();
        var unexpected = new List<string>();
        var summary = new Dictionary<string, int>(StringComparer.Ordinal);
        var from = 0;
        for (var attempt = 0; attempt <= MaxRestarts; attempt++)
        {
            var result = ProcessRunner.Run(
                "dotnet",
                ["exec", TestAssembly],
                workingDirectory: null,
                TimeSpan.FromMinutes(3),
                new Dictionary<string, string>
                {
                    ["DOTNET_STARTUP_HOOKS"] = TestAssembly,
                    [FaissFuzzHost.ModeVariable] = mode,
                    [FaissFuzzHost.InputVariable] = input,
                    [FaissFuzzHost.FromVariable] = from.ToString(CultureInfo.InvariantCulture),
                    ["OMP_NUM_THREADS"] = "1",
                });
            var last = -1;
            foreach (var line in result.StandardOutput.Split('\n'))
            {
                if (line.StartsWith("B ", StringComparison.Ordinal))
                {
                    last = int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("UNEXPECTED ", StringComparison.Ordinal))
                {
                    var n = int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                    unexpected.Add($"case {n} ({describe(n)}): {line}");
                }
                else if (line.StartsWith("SUMMARY ", StringComparison.Ordinal))
                {
                    foreach (Match m in SummaryPair().Matches(line))
                    {
                        summary[m.Groups[1].Value] = summary.GetValueOrDefault(m.Groups[1].Value) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    }
                }
            }

            if (result.ExitCode == 0 && result.StandardOutput.Contains("SUMMARY ", StringComparison.Ordinal))
            {
                break;
            }

            var signal = result.ExitCode > 128 ? $" (signal {result.ExitCode - 128})" : "";
            crashes.Add($"exit code {result.ExitCode}{signal} at case {last} ({(last >= 0 ? describe(last) : "before the first case")}); stderr: {Tail(result.StandardError)}");
            if (last < 0)
            {
                break;
            }

            summary["crash"] = summary.GetValueOrDefault("crash") + 1;
            summary.Remove("cases");
            from = last + 1;
        }

        summary.Remove("cases", out var _);
        output.WriteLine($"{mode}: {Describe(summary)}");
        Assert.True(crashes.Count == 0, "The process died:\n" + string.Join('\n', crashes));
        Assert.True(unexpected.Count == 0, "Unexpected outcomes:\n" + string.Join('\n', unexpected.Take(50)));
        return summary;
    }

    private static string TestAssembly => typeof(FaissFuzzTests).Assembly.Location;

    private static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;

    [GeneratedRegex(@"(\S+)=(\d+)")]
    private static partial Regex SummaryPair();
}
