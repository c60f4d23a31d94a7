using System.Globalization;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The object names of a sharded index in a store. Per model and index type: shards
/// <c>{model}_{type}_shard_00001.index</c>, each with its id-map segment
/// <c>{model}_{type}_shard_00001.ids.json</c>, a manifest <c>{model}_{type}_manifest.json</c> and,
/// once a run completes, the whole id map <c>{model}_{type}_id_map.json</c>; one <c>progress.json</c>.
/// While a shard is open, the batches added after its last whole upload are batch objects
/// <c>{model}_{type}_shard_00001.batch_00001.f32</c> (vectors) and <c>….batch_00001.ids.json</c> (ids).
/// A partition <c>i/N</c> writes the same names under <c>part-i-of-N/</c>.
/// </summary>
public static class ShardStoreLayout
{
    /// <summary>The progress file's name.</summary>
    public const string ProgressName = "progress.json";

    /// <summary>The format version written into every JSON document; readers refuse newer ones.</summary>
    public const int FormatVersion = 1;

    /// <summary>How many bits of a label are the running counter; the partition index sits above them.</summary>
    public const int PartitionLabelShift = 40;

    /// <summary>The shard object's name, e.g. <c>histogram_color_shard_00001.index</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="number">The shard number, from 1.</param>
    /// <returns>The name.</returns>
    public static string ShardName(string model, string type, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}_{type}_shard_{number:D5}.index");

    /// <summary>The id-map segment of one shard, e.g. <c>histogram_color_shard_00001.ids.json</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="number">The shard number, from 1.</param>
    /// <returns>The name.</returns>
    public static string IdSegmentName(string model, string type, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}_{type}_shard_{number:D5}.ids.json");

    /// <summary>The vectors object of batch <paramref name="batch"/> of an open shard, e.g. <c>histogram_color_shard_00001.batch_00002.f32</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="shard">The shard number, from 1.</param>
    /// <param name="batch">The batch number within the shard, from 1.</param>
    /// <returns>The name.</returns>
    public static string BatchVectorsName(string model, string type, int shard, int batch) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}_{type}_shard_{shard:D5}.batch_{batch:D5}.f32");

    /// <summary>The ids object of batch <paramref name="batch"/> of an open shard, e.g. <c>histogram_color_shard_00001.batch_00002.ids.json</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="shard">The shard number, from 1.</param>
    /// <param name="batch">The batch number within the shard, from 1.</param>
    /// <returns>The name.</returns>
    public static string BatchIdsName(string model, string type, int shard, int batch) =>
        string.Create(CultureInfo.InvariantCulture, $"{model}_{type}_shard_{shard:D5}.batch_{batch:D5}.ids.json");

    /// <summary>The manifest of one index type, e.g. <c>histogram_color_manifest.json</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <returns>The name.</returns>
    public static string ManifestName(string model, string type) => $"{model}_{type}_manifest.json";

    /// <summary>The whole id map of one index type, e.g. <c>histogram_color_id_map.json</c>.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <returns>The name.</returns>
    public static string IdMapName(string model, string type) => $"{model}_{type}_id_map.json";

    /// <summary>The prefix every name of partition <paramref name="partition"/> is under, e.g. <c>part-2-of-8/</c>.</summary>
    /// <param name="partition">The partition.</param>
    /// <returns>The prefix, ending in <c>/</c>.</returns>
    public static string PartitionPrefix(ItemPartition partition) =>
        string.Create(CultureInfo.InvariantCulture, $"part-{partition.Index}-of-{partition.Count}/");

    /// <summary>The first label of partition <paramref name="partition"/>: <c>Index &lt;&lt; 40</c>, so partitions never share a label.</summary>
    /// <param name="partition">The partition, or <see langword="null"/> for an unpartitioned build (labels from 0).</param>
    /// <returns>The first label.</returns>
    public static long LabelBase(ItemPartition? partition) => partition is { } p ? (long)p.Index << PartitionLabelShift : 0;

    /// <summary>Whether <paramref name="name"/> can be a model or index type name: ASCII letters, digits, <c>-</c> and <c>.</c> (no <c>_</c>, which separates the parts of object names).</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidName(string? name) => Embeddings.ImageIndexTypes.IsValidName(name);

    /// <summary>Parses the shard number out of a shard or segment name of <paramref name="model"/> and <paramref name="type"/>.</summary>
    /// <param name="name">An object name (no prefix).</param>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="number">The shard number.</param>
    /// <param name="isSegment">Whether the name is an id-map segment rather than a shard.</param>
    /// <returns>Whether the name is one of them.</returns>
    public static bool TryParseShardName(string name, string model, string type, out int number, out bool isSegment)
    {
        number = 0;
        isSegment = false;
        var head = $"{model}_{type}_shard_";
        if (!name.StartsWith(head, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name.AsSpan(head.Length);
        ReadOnlySpan<char> digits;
        if (rest.EndsWith(".ids.json", StringComparison.Ordinal))
        {
            digits = rest[..^".ids.json".Length];
            isSegment = true;
        }
        else if (rest.EndsWith(".index", StringComparison.Ordinal))
        {
            digits = rest[..^".index".Length];
        }
        else
        {
            return false;
        }

        return digits.Length >= 5
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0;
    }

    /// <summary>Parses the shard and batch numbers out of a batch object's name of <paramref name="model"/> and <paramref name="type"/>.</summary>
    /// <param name="name">An object name (no prefix).</param>
    /// <param name="model">The model name.</param>
    /// <param name="type">The index type.</param>
    /// <param name="shard">The shard number.</param>
    /// <param name="batch">The batch number within the shard.</param>
    /// <param name="isIds">Whether the name is the batch's ids object rather than its vectors.</param>
    /// <returns>Whether the name is a batch object.</returns>
    public static bool TryParseBatchName(string name, string model, string type, out int shard, out int batch, out bool isIds)
    {
        shard = 0;
        batch = 0;
        isIds = false;
        var head = $"{model}_{type}_shard_";
        if (!name.StartsWith(head, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name.AsSpan(head.Length);
        if (rest.EndsWith(".ids.json", StringComparison.Ordinal))
        {
            rest = rest[..^".ids.json".Length];
            isIds = true;
        }
        else if (rest.EndsWith(".f32", StringComparison.Ordinal))
        {
            rest = rest[..^".f32".Length];
        }
        else
        {
            return false;
        }

        var dot = rest.IndexOf(".batch_", StringComparison.Ordinal);
        return dot >= 5
            && int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out shard)
            && int.TryParse(rest[(dot + ".batch_".Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out batch)
            && shard > 0
            && batch > 0;
    }
}
