using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tessera.Cli.Benchmarking;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera bench-mosaic MOSAIC [--builder managed|faiss]</c>: builds a viewport from a mosaic with
/// the real mosaic pipeline, always from scratch, and prints the wall time of each stage and the
/// process's peak memory (the side-by-side partner of <c>benchmarks/python/baseline.py</c>).
/// </summary>
internal static class BenchMosaicCommand
{
    /// <summary>The comparison the performance figures use: the seed's index without polysemous training.</summary>
    public const string DefaultIndex = "IVF1024,PQ64np";

    public static Command Create()
    {
        var mosaic = new Argument<string>("mosaic") { Description = "The embedding mosaic (a GeoTIFF)." };
        var builder = new Option<string>("--builder") { Description = "managed: Tessera's SIMD k-means and PQ encoding; faiss: FAISS trains and encodes.", DefaultValueFactory = _ => VectorIndexBuilderKeys.Managed };
        builder.AcceptOnlyFromAmong(VectorIndexBuilderKeys.Managed, VectorIndexBuilderKeys.Faiss);
        var threads = new Option<int>("--threads") { Description = "Threads for training and encoding (managed) and FAISS's OpenMP.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string?>("--out") { Description = "Folder for the viewport (default: a temporary folder, deleted afterwards)." };
        var options = new MosaicCommandOptions(DefaultIndex);
        var command = new Command("bench-mosaic", "Build a viewport from scratch and print per-stage wall time and peak memory.")
        {
            mosaic, builder, threads, output,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var keep = parse.GetValue(output);
            var root = keep ?? Path.Combine(Path.GetTempPath(), $"tessera-bench-{Environment.ProcessId}");
            var mosaicOptions = options.ToMosaicOptions(parse, "bench", root);
            return Task.FromResult(Run(
                parse.GetValue(mosaic)!,
                parse.GetValue(builder)!,
                parse.GetValue(threads),
                mosaicOptions,
                keep is null,
                options.Json(parse),
                options.Verbose(parse),
                cancellationToken));
        });
        return command;
    }

    private static int Run(string mosaicPath, string builderKey, int threads, MosaicIndexOptions options, bool deleteAfter, bool json, bool verbose, CancellationToken cancellationToken)
    {
        if (threads < 1)
        {
            Console.Error.WriteLine("error: --threads must be at least 1.");
            return IndexMosaicCommand.InputError;
        }

        var viewport = Path.Combine(options.OutputRoot, options.ViewportId);
        if (Directory.Exists(viewport))
        {
            // Always a full build: the cache must not answer.
            Directory.Delete(viewport, recursive: true);
        }

        FaissIndex.MaxThreads = threads;
        var services = new ServiceCollection();
        services.AddCliLogging(verbose);
        services.Configure<ManagedIvfIndexBuilderOptions>(o => o.MaxDegreeOfParallelism = threads);
        services.AddTesseraIndexing().AddGdal().AddMosaicIndexing();
        using var provider = services.BuildServiceProvider();
        var clock = new StageClock();
        var builder = new StageTimingIndexBuilder(provider.GetRequiredKeyedService<IVectorIndexBuilder>(builderKey), clock);
        var factory = provider.GetRequiredService<IRasterSourceFactory>();
        var indexer = new MosaicIndexer(builder, factory, provider.GetService<ILogger<MosaicIndexer>>());
        var wall = Stopwatch.StartNew();
        IRasterSource opened;
        try
        {
            opened = factory.Open(mosaicPath);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: cannot open '{mosaicPath}': {e.Message}");
            return IndexMosaicCommand.InputError;
        }

        MosaicIndexResult result;
        try
        {
            using var source = new TimedRasterSource(opened, clock);
            result = indexer.Build(source, options, null, cancellationToken);
        }
        catch (MosaicIndexException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.IsInputError ? IndexMosaicCommand.InputError : IndexMosaicCommand.BuildError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled.");
            return IndexMosaicCommand.Cancelled;
        }

        var total = wall.Elapsed;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var report = BenchMosaicReport.Create(result, clock, builderKey, threads, total, process.PeakWorkingSet64);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, BenchMosaicReport.JsonOptions));
        }
        else
        {
            report.Print(Console.Out);
        }

        if (deleteAfter)
        {
            Directory.Delete(options.OutputRoot, recursive: true);
        }

        return 0;
    }
}
