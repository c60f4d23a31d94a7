using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.GeoTessera;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera index-mosaic MOSAIC --viewport ID --out ROOT</c>: builds (or finds cached) a viewport's
/// FAISS index, all-embeddings array and metadata from an embedding mosaic.
/// </summary>
internal static class IndexMosaicCommand
{
    /// <summary>Exit code for bad input (missing file, bad option, unsupported raster): <see cref="CliErrors.InputError"/>.</summary>
    public const int InputError = CliErrors.InputError;

    /// <summary>Exit code for a failure of the environment (disk full, busy, index builder): <see cref="CliErrors.Failed"/>.</summary>
    public const int BuildError = CliErrors.Failed;

    /// <summary>Exit code after Ctrl+C: <see cref="CliErrors.Cancelled"/>.</summary>
    public const int Cancelled = CliErrors.Cancelled;

    public static Command Create()
    {
        var mosaic = new Argument<string>("mosaic") { Description = "The embedding mosaic: a GeoTIFF (Byte, Int8 or Float32 bands), or a GeoTessera grid_X_Y.npy tile." };
        var viewport = new Option<string>("--viewport") { Description = "The viewport id: the output folder's name under --out.", Required = true };
        var output = new Option<string>("--out") { Description = "The folder holding the viewports (the seed's faiss_indices/).", Required = true };
        var landmask = new Option<string?>("--landmask") { Description = "A GeoTessera tile's landmask GeoTIFF (or a folder of grid_X_Y.tiff landmasks) to take its CRS and geotransform from; default: global_0.1_degree_tiff_all/ in GeoTessera's layout, else derived from the tile name." };
        var maskWater = new Option<bool>("--mask-water") { Description = "Treat a GeoTessera tile's water pixels (landmask 0) as no data." };
        var options = new MosaicCommandOptions();
        var command = new Command("index-mosaic", "Build a viewport's FAISS index, all_embeddings.npy and metadata.json from an embedding mosaic (skipped when a valid one exists).")
        {
            mosaic, viewport, output, landmask, maskWater,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(
                parse.GetValue(mosaic)!,
                options.ToMosaicOptions(parse, parse.GetValue(viewport)!, parse.GetValue(output)!),
                options.Json(parse),
                options.Verbose(parse),
                cancellationToken,
                tiles => (tiles.Landmask, tiles.MaskWater) = (parse.GetValue(landmask), parse.GetValue(maskWater))));
        return command;
    }

    /// <summary>Builds and prints the outcome; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string mosaicPath, MosaicIndexOptions options, bool json, bool verbose, CancellationToken cancellationToken, Action<GeoTesseraTileOptions>? tiles = null)
    {
        using var services = CreateServices(verbose, tiles);
        var indexer = services.GetRequiredService<IMosaicIndexer>();
        try
        {
            var result = await BuildWithProgressAsync(indexer, mosaicPath, options, json, cancellationToken);
            if (json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(MosaicSummary.From(result), MosaicSummary.JsonOptions));
            }
            else
            {
                PrintSummary(result);
            }

            return 0;
        }
        catch (MosaicIndexException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (json)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(MosaicSummary.Failure(options.ViewportId, e.Kind.ToString(), e.Message), MosaicSummary.JsonOptions));
            }

            return e.IsInputError ? InputError : BuildError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: nothing was left behind.");
            return Cancelled;
        }
    }

    internal static ServiceProvider CreateServices(bool verbose, Action<GeoTesseraTileOptions>? tiles = null)
    {
        var services = new ServiceCollection();
        services.AddCliLogging(verbose);
        services.AddTesseraIndexing().AddGdal().AddMosaicIndexing();
        if (tiles is not null)
        {
            services.Configure(tiles);
        }

        return services.BuildServiceProvider();
    }

    internal static async Task<MosaicIndexResult> BuildWithProgressAsync(IMosaicIndexer indexer, string mosaicPath, MosaicIndexOptions options, bool json, CancellationToken cancellationToken)
    {
        var interactive = !json && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            var lastStage = (MosaicIndexStage)(-1);
            var stages = new Progress<MosaicIndexProgress>(p =>
            {
                if (!json && p.Stage != lastStage)
                {
                    lastStage = p.Stage;
                    Console.Out.WriteLine($"[{p.OverallFraction,4:P0}] {p.Stage}: {p.Message}");
                }
            });
            return await indexer.BuildAsync(mosaicPath, options, stages, cancellationToken);
        }

        MosaicIndexResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"[green]{Markup.Escape(options.ViewportId)}[/]", maxValue: 1.0);
                var progress = new Progress<MosaicIndexProgress>(p =>
                {
                    task.Value = p.OverallFraction;
                    task.Description = $"[green]{Markup.Escape(options.ViewportId)}[/] {p.Stage}: {Markup.Escape(p.Message)}";
                });
                result = await indexer.BuildAsync(mosaicPath, options, progress, cancellationToken);
                task.Value = 1.0;
                task.Description = $"[green]{Markup.Escape(options.ViewportId)}[/] {result.Status.ToString().ToLowerInvariant()}";
            });
        return result!;
    }

    internal static void PrintSummary(MosaicIndexResult result)
    {
        var m = result.Metadata;
        var t = result.Timings;
        Console.Out.WriteLine($"{result.Status.ToString().ToLowerInvariant()}: viewport {m.ViewportId} in {result.Directory}");
        Console.Out.WriteLine($"  mosaic      {m.MosaicFile}: {m.MosaicWidth}x{m.MosaicHeight} pixels, {m.EmbeddingDim} {m.SourceDataType} bands, {m.NodataPixels:N0} nodata");
        Console.Out.WriteLine($"  index       {m.FaissIndexType} ({m.Metric}{(m.Normalized ? ", normalised" : string.Empty)}): {m.IndexNtotal:N0} vectors, 1 in {m.SamplingFactor}x{m.SamplingFactor}, trained on {m.TrainSizeUsed:N0}");
        if (m.NlistLowered)
        {
            Console.Out.WriteLine($"  note        IVF lists lowered from {m.NlistRequested} to {m.Nlist}: {m.TrainSizeUsed:N0} training vectors are too few for {m.NlistRequested} (asked for {m.FaissIndexTypeRequested})");
        }
        foreach (var (name, size) in m.FileSizes)
        {
            Console.Out.WriteLine($"  {name,-20} {size,16:N0} bytes");
        }

        Console.Out.WriteLine($"  time        {t.Total.TotalSeconds:F1} s (scan {t.Scanning.TotalSeconds:F1}, train {t.Training.TotalSeconds:F1}, add {t.Adding.TotalSeconds:F1}, save {t.Saving.TotalSeconds:F1})");
        Console.Out.WriteLine($"  peak memory {result.PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB");
    }

}
