using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Diagnostics;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera doctor</c>: every native component (FAISS, GDAL, ONNX Runtime), its version, where it loaded from, SIMD, threads, and what is missing.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("doctor", "Check the native libraries: FAISS, GDAL and ONNX Runtime (version, path, SIMD, threads, what is missing).") { json };
        command.SetAction(parse => Run(parse.GetValue(json)));
        return command;
    }

    private static int Run(bool json)
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal().AddOnnxDiagnostics();
        using var provider = services.BuildServiceProvider();
        var report = provider.GetRequiredService<TesseraDiagnostics>().Diagnose();
        if (json)
        {
            ImageCli.WriteJson(new
            {
                healthy = report.IsHealthy,
                platform = new
                {
                    operating_system = report.Platform.OperatingSystem,
                    runtime_identifier = report.Platform.RuntimeIdentifier,
                    framework = report.Platform.Framework,
                    glibc = report.Platform.GlibcVersion,
                    processors = report.Platform.ProcessorCount,
                },
                simd = new
                {
                    kernel_level = report.Simd.KernelLevel,
                    kernel_width_bits = report.Simd.KernelWidthBits,
                    instruction_sets = report.Simd.InstructionSets,
                },
                components = report.Components.Select(c => new
                {
                    name = c.Name,
                    status = c.Status.ToString().ToLowerInvariant(),
                    version = c.Version,
                    library_path = c.LibraryPath,
                    details = c.Details.ToDictionary(d => d.Key, d => d.Value),
                    problem = c.Problem,
                    remedy = c.Remedy,
                }),
            });
        }
        else
        {
            Console.Out.WriteLine(report.ToString());
            Console.Out.WriteLine(report.IsHealthy ? "healthy: every component loads." : "NOT healthy: see the problems above.");
        }

        return report.IsHealthy ? 0 : 1;
    }
}
