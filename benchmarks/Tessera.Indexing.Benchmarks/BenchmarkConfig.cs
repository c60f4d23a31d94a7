using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Tessera.Indexing.Benchmarks;

/// <summary>The shared configuration: memory diagnoser, ratio to the naive baseline, short runs on 2-core machines.</summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        // A ManualConfig starts empty: without the defaults there is no console logger, no columns and no exporters.
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddJob(Job.ShortRun.WithId("short"));
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
