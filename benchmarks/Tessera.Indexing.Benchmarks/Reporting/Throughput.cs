namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>How much work one invocation of a benchmark does, and the machine's ceiling for that kind of work.</summary>
/// <param name="Amount">Work per invocation, in <paramref name="Unit"/> (bytes read, or floating-point operations).</param>
/// <param name="Unit">"B" (shown as GB/s) or "FLOP" (shown as GFLOP/s).</param>
/// <param name="Ceiling">What the machine can do per second in that unit, for the "% of peak" column; 0 when unknown.</param>
public readonly record struct Throughput(double Amount, string Unit, double Ceiling);
