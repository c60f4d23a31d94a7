using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Imaging;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera merge-partitions</c>: writes the combined manifest, id map and progress of a partitioned build.</summary>
internal static class MergePartitionsCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store") { Description = "The store the partitions (part-i-of-N/) were built into.", Required = true };
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "Merge even when a partition is missing or unfinished." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("merge-partitions", "Merge the partitions of a --partition i/N build into one searchable view at the store's root.")
        {
            store, allowIncomplete, json,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(store)!, parse.GetValue(allowIncomplete), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string storeLocation, bool allowIncomplete, bool json, CancellationToken cancellationToken)
    {
        try
        {
            await using var services = ImageCli.CreateServices(verbose: false);
            var store = ImageCli.OpenStore(services, storeLocation);
            var result = await new ShardPartitionMerger(store, services.GetService<ILogger<ShardPartitionMerger>>()).MergeAsync(allowIncomplete, cancellationToken);
            if (json)
            {
                ImageCli.WriteJson(result);
            }
            else
            {
                Console.Out.WriteLine($"merged {result.Partitions.Count} partitions of {result.Store} ({result.Model})");
                foreach (var (type, vectors) in result.Vectors)
                {
                    Console.Out.WriteLine($"  {type}: {vectors:N0} vectors in {result.Shards[type]} shards");
                }

                Console.Out.WriteLine($"  failed items: {result.Failed:N0}");
                if (result.Incomplete.Count > 0)
                {
                    Console.Out.WriteLine($"  incomplete: {string.Join(", ", result.Incomplete)}");
                }
            }

            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ShardStoreException or ShardAlignmentException or NotSupportedException or IOException)
        {
            return ImageCli.Fail(e.Message);
        }
    }
}
