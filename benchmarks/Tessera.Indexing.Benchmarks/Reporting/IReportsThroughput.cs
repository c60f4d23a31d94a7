namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>Implemented by benchmark classes whose results should be shown as a throughput and a fraction of the hardware limit.</summary>
public interface IReportsThroughput
{
    /// <summary>The work of one invocation of <paramref name="method"/> with the current parameter values.</summary>
    Throughput Work(string method);
}
