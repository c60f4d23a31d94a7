using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Cli.Demo;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera demo</c>: writes a synthetic 128-band Byte mosaic through GDAL (once; reused after) and
/// indexes it as viewport <c>demo_{size}</c>, printing wall time and peak memory.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultIndex = "IVF256,PQ16np";

    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Mosaic width and height in pixels.", DefaultValueFactory = _ => 512 };
        var output = new Option<string>("--out") { Description = "Folder for mosaics/ and faiss_indices/.", DefaultValueFactory = _ => "tessera-demo" };
        var bands = new Option<int>("--bands") { Description = "Embedding dimension (bands).", DefaultValueFactory = _ => 128 };
        var mosaicSeed = new Option<int>("--mosaic-seed") { Description = "Seed of the synthetic mosaic.", DefaultValueFactory = _ => 1 };
        var options = new MosaicCommandOptions(DefaultIndex);
        var command = new Command("demo", "Write a synthetic land-cover-like embedding mosaic through GDAL and index it (the main job).")
        {
            size, output, bands, mosaicSeed,
        };
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var n = parse.GetValue(size);
            var d = parse.GetValue(bands);
            if (n < 16 || d < 1)
            {
                Console.Error.WriteLine("error: --size must be at least 16 and --bands at least 1.");
                return Task.FromResult(IndexMosaicCommand.InputError);
            }

            var root = Path.GetFullPath(parse.GetValue(output)!);
            var viewport = $"demo_{n}";
            var mosaicOptions = options.ToMosaicOptions(parse, viewport, Path.Combine(root, "faiss_indices"));
            return RunAsync(n, d, parse.GetValue(mosaicSeed), root, mosaicOptions, options.Json(parse), options.Verbose(parse), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(int size, int bands, int seed, string root, MosaicIndexOptions options, bool json, bool verbose, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var mosaicPath = Path.Combine(root, "mosaics", $"demo_{size}_{bands}b_s{seed}.tif");
        double? generationSeconds = null;
        try
        {
            if (options.Force || !IsUsable(mosaicPath, size, bands))
            {
                if (!json)
                {
                    Console.Out.WriteLine($"writing a synthetic {size}x{size}x{bands} Byte mosaic to {mosaicPath}");
                }

                var generate = Stopwatch.StartNew();
                await Task.Run(() => new SyntheticMosaic(size, bands, seed).WriteGeoTiff(mosaicPath, null, cancellationToken), cancellationToken);
                generationSeconds = generate.Elapsed.TotalSeconds;
                if (!json)
                {
                    Console.Out.WriteLine($"  written in {generationSeconds:F1} s ({new FileInfo(mosaicPath).Length:N0} bytes)");
                }
            }
            else if (!json)
            {
                Console.Out.WriteLine($"reusing the synthetic mosaic {mosaicPath}");
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled.");
            return IndexMosaicCommand.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Tessera.Indexing.Gdal.GdalException)
        {
            Console.Error.WriteLine($"error: writing the synthetic mosaic failed: {e.Message}");
            return IndexMosaicCommand.BuildError;
        }

        using var services = IndexMosaicCommand.CreateServices(verbose);
        var indexer = services.GetRequiredService<IMosaicIndexer>();
        try
        {
            var result = await IndexMosaicCommand.BuildWithProgressAsync(indexer, mosaicPath, options, json, cancellationToken);
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            if (json)
            {
                var summary = MosaicSummary.From(result) with { MosaicGenerationSeconds = generationSeconds, PeakWorkingSetBytes = peak };
                Console.Out.WriteLine(JsonSerializer.Serialize(summary, MosaicSummary.JsonOptions));
            }
            else
            {
                IndexMosaicCommand.PrintSummary(result);
                Console.Out.WriteLine($"demo done in {wall.Elapsed.TotalSeconds:F1} s wall, peak memory {peak / (1024.0 * 1024.0):F0} MiB");
            }

            return 0;
        }
        catch (MosaicIndexException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.IsInputError ? IndexMosaicCommand.InputError : IndexMosaicCommand.BuildError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: nothing was left behind.");
            return IndexMosaicCommand.Cancelled;
        }
    }

    private static bool IsUsable(string path, int size, int bands)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var source = Tessera.Indexing.Gdal.Rasters.GdalRasterSource.Open(path);
            return source.Width == size && source.Height == size && source.BandCount == bands && source.DataType == RasterDataType.Byte;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Tessera.Indexing.Gdal.GdalException)
        {
            return false;
        }
    }
}
