using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new Tessera.Indexing.Benchmarks.BenchmarkConfig(args));

/// <summary>Entry point.</summary>
public partial class Program
{
}
