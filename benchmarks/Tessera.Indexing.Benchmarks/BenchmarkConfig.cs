using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Tessera.Indexing.Benchmarks;

/// <summary>The shared configuration: memory diagnoser, ratio to the naive baseline, short runs on 2-core machines.</summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        // Loggers, columns and exporters of the default configuration: without them nothing is printed.
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddJob(Job.ShortRun.WithId("short"));
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
