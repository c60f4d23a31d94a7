using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Items;

/// <summary>Opens the item source a command line names: a folder, a <c>.csv</c> or a <c>.jsonl</c>/<c>.ndjson</c> manifest.</summary>
public static class ItemSources
{
    /// <summary>Opens <paramref name="location"/> as a folder, CSV or JSON-lines source.</summary>
    /// <param name="location">A folder or a manifest file.</param>
    /// <param name="partition">When given, only the items of that partition.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">The location is neither a folder nor a <c>.csv</c>, <c>.jsonl</c> or <c>.ndjson</c> file.</exception>
    public static IItemSource Open(string location, ItemPartition? partition = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        IItemSource source;
        if (Directory.Exists(location))
        {
            source = new FolderItemSource(location);
        }
        else
        {
            var extension = Path.GetExtension(location).ToLowerInvariant();
            source = extension switch
            {
                ".csv" => new CsvItemSource(location),
                ".jsonl" or ".ndjson" => new JsonLinesItemSource(location),
                _ => throw new ArgumentException(
                    $"'{location}' is neither a folder nor a .csv, .jsonl or .ndjson manifest.", nameof(location)),
            };
        }

        return partition is { Count: > 1 } p ? new PartitionedItemSource(source, p) : source;
    }
}
