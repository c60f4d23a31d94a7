using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera search-images</c>: the k items most like an image, from all shards of one index type (<see cref="ShardedImageSearcher"/>).</summary>
internal static class SearchImagesCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The shard store (an unpartitioned or merged store, or one part-i-of-N/ folder).", Required = true };
        var type = new Option<string>("--type") { Description = "The index type: color, structure, combined.", DefaultValueFactory = _ => ImageIndexTypes.Color };
        var image = new Option<string>("--image") { Description = "The query image: a path or URL.", Required = true };
        var k = new Option<int>("--k") { Description = "Neighbours to return.", DefaultValueFactory = _ => 10 };
        var model = new Option<string?>("--model") { Description = "The ONNX image encoder the store was built with (not needed for histogram stores)." };
        var json = new Option<bool>("--json") { Description = "Print the hits as JSON." };
        var command = new Command("search-images", "Find the items most like an image in a sharded index (all shards searched, top-k merged, item ids from the id map).")
        {
            store, type, image, k, model, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(store)!, parse.GetValue(type)!, parse.GetValue(image)!, parse.GetValue(k), parse.GetValue(model), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string storeLocation, string type, string imageLocation, int k, string? modelPath, bool json, CancellationToken cancellationToken)
    {
        if (ImageCli.CheckModelFlags(modelPath, "auto") is { } modelError)
        {
            return ImageCli.Fail(modelError, 2);
        }

        try
        {
            await using var services = ImageCli.CreateServices(verbose: false, modelPath);
            var store = ImageCli.OpenStore(services, storeLocation);
            var result = await services.GetRequiredService<ShardedImageSearcher>().SearchAsync(store, type, imageLocation, k, cancellationToken);
            if (json)
            {
                ImageCli.WriteJson(result.Hits);
                return 0;
            }

            var table = new Table().AddColumns("rank", "item", result.Metric == VectorMetric.InnerProduct ? "similarity" : "distance", "label", "shard");
            for (var i = 0; i < result.Hits.Count; i++)
            {
                var hit = result.Hits[i];
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.ItemId), hit.Score.ToString("F4", CultureInfo.InvariantCulture), hit.Label.ToString(CultureInfo.InvariantCulture), Markup.Escape(hit.Shard));
            }

            AnsiConsole.Write(table);
            return 0;
        }
        catch (ImageModelMismatchException e)
        {
            return ImageCli.Fail(ImageCli.DescribeModelMismatch(e), 2);
        }
        catch (OptionsValidationException e)
        {
            return ImageCli.Fail(e.Message, 2);
        }
        catch (Exception e) when (e is ImageDecodeException or ArgumentException or InvalidOperationException or ShardStoreException or ShardAlignmentException or NotSupportedException or IOException)
        {
            return ImageCli.Fail(e.Message);
        }
    }
}
