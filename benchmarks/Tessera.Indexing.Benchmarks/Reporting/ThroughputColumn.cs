using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Tessera.Indexing.Benchmarks.Reporting;

/// <summary>Adds "Throughput" (GB/s or GFLOP/s) and "% of peak" columns for classes implementing <see cref="IReportsThroughput"/>.</summary>
public sealed class ThroughputColumn(bool fraction) : IColumn
{
    public string Id => fraction ? "PeakFraction" : "Throughput";

    public string ColumnName => fraction ? "% of peak" : "Throughput";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => fraction ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => fraction
        ? "Throughput as a share of the ceiling: memory-bound kernels vs ~40 GB/s reads, compute-bound ones vs the FMA peak of the threads used"
        : "Bytes read per second (GB/s) or floating-point operations per second (GFLOP/s)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is null || Activator.CreateInstance(benchmarkCase.Descriptor.Type) is not IReportsThroughput instance)
        {
            return "-";
        }

        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            benchmarkCase.Descriptor.Type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
            benchmarkCase.Descriptor.Type.GetField(parameter.Name)?.SetValue(instance, parameter.Value);
        }

        var work = instance.Work(benchmarkCase.Descriptor.WorkloadMethod.Name);
        var perSecond = work.Amount / (mean.Value * 1e-9);
        if (fraction)
        {
            return work.Ceiling > 0 ? $"{100 * perSecond / work.Ceiling:F1} %" : "-";
        }

        return work.Unit == "B" ? $"{perSecond / 1e9:F2} GB/s" : $"{perSecond / 1e9:F1} GFLOP/s";
    }

    public override string ToString() => ColumnName;
}
