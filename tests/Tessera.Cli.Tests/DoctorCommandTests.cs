using System.Text.Json;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests;

/// <summary>The real <c>tessera doctor</c>: every native component, healthy or not.</summary>
public sealed class DoctorCommandTests
{
    [Fact]
    public void Doctor_reports_faiss_gdal_and_onnx_runtime_with_versions_paths_and_simd()
    {
        var run = TesseraCli.Run(["doctor", "--json"]);

        Assert.True(run.ExitCode == 0, run.StandardError + run.StandardOutput);
        var report = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.True(report.GetProperty("healthy").GetBoolean());
        var components = report.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(["FAISS", "GDAL", "ONNX Runtime"], components.Keys.Order());
        Assert.Equal("1.7.3", components["FAISS"].GetProperty("version").GetString());
        Assert.StartsWith("3.", components["GDAL"].GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Contains("libgdal.so", components["GDAL"].GetProperty("library_path").GetString(), StringComparison.Ordinal);
        Assert.Contains("GTiff", components["GDAL"].GetProperty("details").GetProperty("drivers").GetString(), StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", components["ONNX Runtime"].GetProperty("details").GetProperty("providers").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(components["ONNX Runtime"].GetProperty("library_path").GetString()));
        Assert.True(File.Exists(components["FAISS"].GetProperty("library_path").GetString()));
        Assert.True(report.GetProperty("simd").GetProperty("kernel_width_bits").GetInt32() >= 128);
    }

    [Fact]
    public void A_gdal_that_does_not_load_is_named_with_its_remedy_and_exits_1()
    {
        using var dir = new TempDirectory();
        var notALibrary = dir.File("libgdal.so.32");
        File.WriteAllText(notALibrary, "not an ELF file");

        var run = ProcessRunner.Run("dotnet", [TesseraCli.DllPath, "doctor"], null, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["NO_COLOR"] = "1", ["TESSERA_GDAL_LIBRARY"] = notALibrary });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAISS: ok", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("GDAL:", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("GDAL: ok", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TESSERA_GDAL_LIBRARY", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("NOT healthy", run.StandardOutput, StringComparison.Ordinal);
    }
}
