using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Tessera.Indexing.Benchmarks.Onnx;

/// <summary>Images per second: the benchmark's <c>Batch</c> parameter divided by its mean time.</summary>
public sealed class ImagesPerSecondColumn : IColumn
{
    public string Id => "ImagesPerSecond";

    public string ColumnName => "images/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Images embedded per second (Batch / Mean)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var batch = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(ClipEncoderBenchmarks.Batch))?.Value;
        return mean is null || batch is not int images ? "-" : $"{images / (mean.Value * 1e-9):F2}";
    }

    public override string ToString() => ColumnName;
}
