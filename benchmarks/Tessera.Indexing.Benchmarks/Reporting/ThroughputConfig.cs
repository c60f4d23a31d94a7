using BenchmarkDotNet.Configs;

namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>Class-level config (<c>[Config(typeof(ThroughputConfig))]</c>) that adds the throughput columns to the shared configuration.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn(fraction: false), new ThroughputColumn(fraction: true));
    }
}
