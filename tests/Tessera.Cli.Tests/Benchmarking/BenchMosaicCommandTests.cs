using System.Text.Json;
using Tessera.Cli.Tests.Mosaics;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Benchmarking;

/// <summary><c>tessera bench-mosaic</c> builds a viewport from scratch and reports every stage and the peak memory.</summary>
public sealed class BenchMosaicCommandTests
{
    [Theory]
    [InlineData("managed", "PQ k-means")]
    [InlineData("faiss", "FAISS train")]
    public void The_json_report_lists_the_builders_stages_and_a_peak_memory(string builder, string trainingStage)
    {
        using var dir = new TempDirectory();
        var mosaic = dir.File("m.tif");
        CliMosaics.WriteBytes(mosaic, 128, 16);

        var run = TesseraCli.Run(["bench-mosaic", mosaic, "--builder", builder, "--index", "IVF4,PQ4x4np", "--train-size", "1024", "--threads", "1", "--out", dir.File("out"), "--json"]);

        Assert.True(run.ExitCode == 0, run.StandardError);
        var report = JsonDocument.Parse(run.StandardOutput).RootElement;
        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("seconds").GetDouble());
        Assert.Contains(trainingStage, stages.Keys);
        Assert.Contains("read mosaic", stages.Keys);
        Assert.Contains("write index", stages.Keys);
        Assert.All(stages.Values, seconds => Assert.True(seconds >= 0));
        Assert.Equal(builder, report.GetProperty("builder").GetString());
        Assert.Equal(32 * 32, report.GetProperty("sampled").GetInt64());
        Assert.True(report.GetProperty("peak_memory_mib").GetDouble() > 10);
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "bench", "embeddings.index")));
    }

    [Fact]
    public void A_missing_mosaic_is_an_input_error()
    {
        using var dir = new TempDirectory();

        var run = TesseraCli.Run(["bench-mosaic", dir.File("missing.tif"), "--json"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.StandardError, StringComparison.OrdinalIgnoreCase);
    }
}
