using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera search-images</c>: the k items most like an image, from all shards of one index type.</summary>
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
        if (ImageCli.CheckModel(modelPath, "auto") is { } modelError)
        {
            return ImageCli.Fail(modelError, 2);
        }

        try
        {
            await using var services = ImageCli.CreateServices(verbose: false, modelPath);
            var store = ImageCli.OpenStore(services, storeLocation);
            using var index = await ShardedIndex.LoadAsync(store, type, cancellationToken: cancellationToken);
            if (ImageCli.CheckStoreModel(index.Model, modelPath) is { } storeModelError)
            {
                return ImageCli.Fail(storeModelError, 2);
            }

            var embedder = ImageIndexTypes.Resolve(services, [type])[type];
            var decoder = services.GetService<IImageDecoder>()
                ?? throw new InvalidOperationException("No image decoder is registered (Tessera.Indexing.Gdal's AddGdal() provides one).");
            var decoded = await decoder.DecodeAsync(imageLocation, embedder.GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions, cancellationToken);
            var query = (await embedder.GenerateAsync([decoded], null, cancellationToken))[0].Vector.ToArray();
            if (index.Metric == VectorMetric.InnerProduct)
            {
                Tessera.Indexing.Vectors.EmbeddingKernels.NormalizeL2(query);
            }

            var hits = index.Search(query, k);
            if (json)
            {
                ImageCli.WriteJson(hits);
                return 0;
            }

            var table = new Table().AddColumns("rank", "item", index.Metric == VectorMetric.InnerProduct ? "similarity" : "distance", "label", "shard");
            for (var i = 0; i < hits.Count; i++)
            {
                table.AddRow((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(hits[i].ItemId), hits[i].Score.ToString("F4", System.Globalization.CultureInfo.InvariantCulture), hits[i].Label.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(hits[i].Shard));
            }

            AnsiConsole.Write(table);
            return 0;
        }
        catch (ImageDecodeException e)
        {
            return ImageCli.Fail(e.Message);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ShardStoreException or ShardAlignmentException or NotSupportedException or IOException)
        {
            return ImageCli.Fail(e.Message);
        }
    }
}
