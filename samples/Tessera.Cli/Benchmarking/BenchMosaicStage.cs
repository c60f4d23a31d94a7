namespace Tessera.Cli.Benchmarking;

/// <summary>One line of the report.</summary>
internal sealed record BenchMosaicStage(string Name, double Seconds, string Detail)
{
    public BenchMosaicStage(string name, TimeSpan elapsed, string detail)
        : this(name, Math.Max(0, elapsed.TotalSeconds), detail)
    {
    }
}
