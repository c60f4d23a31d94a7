using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Tessera.Indexing.Benchmarks;

/// <summary>
/// The shared configuration, passed once by <c>Program</c> to every benchmark: memory diagnoser, ratio to
/// the naive baseline, and a short run on 2-core machines unless the command line names a job
/// (<c>--job short</c>, <c>--job medium</c>, …), which then replaces it instead of running every benchmark twice.
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    /// <summary>Creates the configuration for <paramref name="args"/>.</summary>
    /// <param name="args">The benchmark command line; a <c>--job</c>/<c>-j</c> there suppresses the default short job.</param>
    public BenchmarkConfig(IReadOnlyList<string> args)
    {
        // A ManualConfig starts empty: without the defaults there is no console logger, no columns and no exporters.
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        if (!NamesJob(args))
        {
            AddJob(Job.ShortRun.WithId("short"));
        }

        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }

    /// <summary>Whether <paramref name="args"/> choose a job themselves.</summary>
    /// <param name="args">The benchmark command line.</param>
    /// <returns>Whether a <c>--job</c>/<c>-j</c> option is present.</returns>
    public static bool NamesJob(IReadOnlyList<string> args) =>
        args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
}
