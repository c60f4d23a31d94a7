using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera build-images</c>: embeds images into sharded, resumable FAISS indexes in a shard store.</summary>
internal static class BuildImagesCommand
{
    public static Command Create()
    {
        var items = new Option<string>("--items") { Description = "The items: a folder of images, a .csv or a .jsonl manifest (id, image, brand, ...).", Required = true };
        var store = new Option<string>("--store") { Description = "The shard store: a folder, file:// URI or supabase://bucket/prefix.", Required = true };
        var types = new Option<string>("--types") { Description = "Index types, comma-separated: color, structure, combined.", DefaultValueFactory = _ => "color" };
        var model = new Option<string?>("--model") { Description = "A CLIP-style ONNX image encoder; without it the model-free colour histogram embedders run." };
        var provider = new Option<string>("--provider") { Description = "ONNX Runtime execution provider: auto, cpu or cuda.", DefaultValueFactory = _ => "auto" };
        var batch = new Option<int>("--batch") { Description = "Items per batch (flushed, uploaded and recorded together).", DefaultValueFactory = _ => 32 };
        var perShard = new Option<int>("--items-per-shard") { Description = "Vectors per shard.", DefaultValueFactory = _ => 1000 };
        var maxBytes = new Option<long>("--max-shard-bytes") { Description = "Largest serialised shard, in bytes.", DefaultValueFactory = _ => ShardedIndexOptions.DefaultMaxShardBytes };
        var factory = new Option<string>("--factory") { Description = "FAISS factory string of each shard (Flat = exact cosine over normalised vectors).", DefaultValueFactory = _ => "Flat" };
        var partition = new Option<string?>("--partition") { Description = "Build only partition i/N (by a stable hash of the item id) into part-i-of-N/." };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Try items again that failed in an earlier run." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (and no progress bar)." };
        var verbose = new Option<bool>("--verbose") { Description = "Log each step to stderr." };
        var command = new Command("build-images", "Embed images into sharded, resumable FAISS indexes (one per index type) in a shard store.")
        {
            items, store, types, model, provider, batch, perShard, maxBytes, factory, partition, retryFailed, json, verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(items)!, parse.GetValue(store)!, parse.GetValue(types), parse.GetValue(model), parse.GetValue(provider)!,
            parse.GetValue(batch), parse.GetValue(perShard), parse.GetValue(maxBytes), parse.GetValue(factory)!, parse.GetValue(partition),
            parse.GetValue(retryFailed), parse.GetValue(json), parse.GetValue(verbose), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string itemsLocation, string storeLocation, string? typeList, string? modelPath, string provider,
        int batch, int perShard, long maxBytes, string factory, string? partitionText, bool retryFailed, bool json, bool verbose,
        CancellationToken cancellationToken)
    {
        if (ImageCli.CheckModelFlags(modelPath, provider) is { } modelError)
        {
            return ImageCli.Fail(modelError, 2);
        }

        ItemPartition? partition = null;
        if (partitionText is not null)
        {
            if (!ItemPartition.TryParse(partitionText, out var parsed))
            {
                return ImageCli.Fail($"--partition '{partitionText}' is not i/N with 0 <= i < N.", 2);
            }

            partition = parsed;
        }

        var options = new ShardedIndexOptions
        {
            ModelName = ImageModelNames.FromModelFile(modelPath),
            FactoryString = factory,
            BatchSize = batch,
            ItemsPerShard = perShard,
            MaxShardBytes = maxBytes,
            Partition = partition,
            RetryFailed = retryFailed,
        };
        try
        {
            options.Validate();
            var types = ImageCli.ParseTypes(typeList);
            await using var services = ImageCli.CreateServices(verbose, modelPath, provider);
            var builderFactory = services.GetRequiredService<ShardedImageIndexBuilderFactory>();
            var store = builderFactory.OpenStore(storeLocation);
            var builder = builderFactory.Create(store, types, options);
            var source = ItemSources.Open(itemsLocation);
            var result = json || !AnsiConsole.Profile.Capabilities.Interactive
                ? await RunPlainAsync(builder, source, json, cancellationToken)
                : await RunWithProgressBarAsync(builder, source, cancellationToken);
            if (json)
            {
                ImageCli.WriteJson(result);
            }
            else
            {
                PrintSummary(result);
            }

            return 0;
        }
        catch (OptionsValidationException e)
        {
            return ImageCli.Fail(e.Message, 2);
        }
        catch (OperationCanceledException)
        {
            return ImageCli.Fail("cancelled; what was committed stays in the store, and running the same command again resumes.", 130);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ShardStoreException or ShardAlignmentException
            or NotSupportedException or IOException or InvalidDataException)
        {
            return ImageCli.Fail(e.Message);
        }
    }

    /// <summary>One progress line per second on stderr (for logs and redirected output).</summary>
    private static Task<ShardedBuildResult> RunPlainAsync(ShardedImageIndexBuilder builder, IItemSource source, bool quiet, CancellationToken cancellationToken)
    {
        var last = Stopwatch.StartNew();
        var progress = new SynchronousProgress(p =>
        {
            if (!quiet && last.Elapsed >= TimeSpan.FromSeconds(1))
            {
                last.Restart();
                Console.Error.WriteLine(Describe(p));
            }
        });
        return builder.BuildAsync(source, progress, cancellationToken);
    }

    private static async Task<ShardedBuildResult> RunWithProgressBarAsync(ShardedImageIndexBuilder builder, IItemSource source, CancellationToken cancellationToken)
    {
        ShardedBuildResult? result = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: 1);
                task.IsIndeterminate = true;
                var progress = new SynchronousProgress(p => task.Description = Markup.Escape(Describe(p)));
                result = await builder.BuildAsync(source, progress, cancellationToken);
                task.Description = Markup.Escape($"done: {result.Indexed:N0} indexed, {result.NewFailures.Count:N0} failed, {result.ShardUploads:N0} shard uploads");
                task.Value = 1;
                task.IsIndeterminate = false;
            });
        return result!;
    }

    private static string Describe(ShardedBuildProgress p) =>
        $"{p.Indexed:N0} indexed ({p.ItemsPerSecond:F1} items/s), {p.Skipped:N0} already done, {p.Failed:N0} failed, {p.Shards} shards ({p.ShardUploads:N0} uploads)";

    private static void PrintSummary(ShardedBuildResult result)
    {
        var console = AnsiConsole.Console;
        console.MarkupLineInterpolated($"[bold]{result.Store}[/] ({result.Model}, {string.Join(", ", result.Types)}{(result.Partition is null ? string.Empty : $", partition {result.Partition}")})");
        console.WriteLine($"read {result.ItemsRead:N0} items in {result.Elapsed.TotalSeconds:F1} s: {result.Indexed:N0} indexed, {result.Skipped:N0} already done, {result.NewFailures.Count:N0} failed ({result.TotalFailed:N0} failed in all)");
        foreach (var repair in result.Repairs)
        {
            console.WriteLine($"reconciled: {repair}");
        }

        var types = new Table().AddColumns("type", "vectors", "shards");
        foreach (var type in result.Types)
        {
            types.AddRow(type, result.Vectors[type].ToString("N0", System.Globalization.CultureInfo.InvariantCulture), result.Shards[type].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(types);
        var brands = new Table().AddColumns("brand", "items");
        foreach (var (brand, count) in result.Brands.OrderByDescending(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal))
        {
            brands.AddRow(Markup.Escape(brand), count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        brands.AddRow("[bold]total[/]", $"[bold]{result.Brands.Values.Sum():N0}[/]");
        console.Write(brands);
        foreach (var failure in result.NewFailures.Take(20))
        {
            console.WriteLine($"failed {failure.Id}: {failure.Reason}");
        }

        if (result.NewFailures.Count > 20)
        {
            console.WriteLine($"... and {result.NewFailures.Count - 20} more failures (see progress.json)");
        }
    }

    private sealed class SynchronousProgress(Action<ShardedBuildProgress> report) : IProgress<ShardedBuildProgress>
    {
        public void Report(ShardedBuildProgress value) => report(value);
    }
}
