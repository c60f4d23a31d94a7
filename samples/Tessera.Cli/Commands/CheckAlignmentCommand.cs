using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera check-alignment</c>: verifies shards against their id maps (<see cref="AlignmentChecker"/>); exits non-zero on any problem.</summary>
internal static class CheckAlignmentCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The shard store (the root of a merged store, an unpartitioned store, or a part-i-of-N/ folder).", Required = true };
        var type = new Option<string?>("--types", "--type") { Description = "Index types to check, comma-separated (default: every type in the store)." };
        var sample = new Option<int>("--sample") { Description = "Items per type re-embedded and searched for themselves.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sample.", DefaultValueFactory = _ => 0 };
        var items = new Option<string?>("--items") { Description = "The build's items: every one must be indexed exactly once or recorded as failed." };
        var model = new Option<string?>("--model") { Description = "The ONNX image encoder the store was built with (not needed for histogram stores)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var verbose = new Option<bool>("--verbose") { Description = "Log each step to stderr." };
        var command = new Command("check-alignment", "Check that every shard matches its id map: counts, duplicates, checksums, progress, and re-embedded samples finding themselves.")
        {
            store, type, sample, seed, items, model, json, verbose,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(store)!, parse.GetValue(type), parse.GetValue(sample), parse.GetValue(seed), parse.GetValue(items),
            parse.GetValue(model), parse.GetValue(json), parse.GetValue(verbose), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        string storeLocation, string? typeList, int sample, int seed, string? itemsLocation, string? modelPath, bool json, bool verbose, CancellationToken cancellationToken)
    {
        if (ImageCli.CheckModelFlags(modelPath, "auto") is { } modelError)
        {
            return ImageCli.Fail(modelError, 2);
        }

        try
        {
            await using var services = ImageCli.CreateServices(verbose, modelPath);
            var factory = services.GetRequiredService<ShardedImageIndexBuilderFactory>();
            var report = await factory.CreateAlignmentChecker(factory.OpenStore(storeLocation)).CheckAsync(
                new AlignmentCheckOptions
                {
                    Types = typeList is null ? null : ImageCli.ParseTypes(typeList),
                    SampleSize = sample,
                    Seed = seed,
                    Items = itemsLocation is null ? null : ItemSources.Open(itemsLocation),
                },
                cancellationToken);
            if (json)
            {
                ImageCli.WriteJson(report);
            }
            else
            {
                Console.Out.WriteLine($"{report.Store} ({report.Model}): {report.Types.Count} types, {report.Shards} shards, {report.Vectors:N0} vectors, {report.SamplesChecked} samples re-embedded");
                foreach (var warning in report.Warnings)
                {
                    Console.Out.WriteLine($"warning: {warning}");
                }

                foreach (var problem in report.Problems)
                {
                    Console.Out.WriteLine($"PROBLEM {problem.Kind} [{problem.Type}]: {problem.Message}");
                }

                Console.Out.WriteLine(report.IsAligned ? "aligned" : $"{report.Problems.Count} problem(s)");
            }

            return report.IsAligned ? 0 : 1;
        }
        catch (OptionsValidationException e)
        {
            return ImageCli.Fail(e.Message, 2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ShardStoreException or NotSupportedException or IOException or InvalidDataException)
        {
            return ImageCli.Fail(e.Message);
        }
    }
}
