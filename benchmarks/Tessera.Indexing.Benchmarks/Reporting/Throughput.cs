namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>How much work one invocation of a benchmark does, and the machine's ceiling for that kind of work.</summary>
/// <param name="Amount">Work per invocation, in <paramref name="Unit"/> (bytes read, or floating-point operations).</param>
/// <param name="Unit">"B" (shown as GB/s) or "FLOP" (shown as GFLOP/s).</param>
/// <param name="Ceiling">What the machine can do per second in that unit, for the "% of peak" column; 0 when unknown.</param>
public readonly record struct Throughput(double Amount, string Unit, double Ceiling);

/// <summary>Implemented by benchmark classes whose results should be shown as a throughput and a fraction of the hardware limit.</summary>
public interface IReportsThroughput
{
    /// <summary>The work of one invocation of <paramref name="method"/> with the current parameter values.</summary>
    Throughput Work(string method);
}
