using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The merge step after a partitioned build: reads every <c>part-i-of-N/</c> namespace of a store and
/// writes, at the store's root, a combined manifest and whole id map per type (referencing the
/// partitions' shards where they are; nothing is copied and no label changes, since partition
/// <c>i</c>'s labels start at <c>i &lt;&lt; 40</c>) and a combined progress.json. The root can then be
/// searched and checked like an unpartitioned build.
/// </summary>
public sealed partial class ShardPartitionMerger
{
    private readonly IShardStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates a merger for <paramref name="store"/>'s partitions.</summary>
    /// <param name="store">The store the partitions were built into.</param>
    /// <param name="logger">Logs what is merged.</param>
    public ShardPartitionMerger(IShardStore store, ILogger<ShardPartitionMerger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Merges the partitions.</summary>
    /// <param name="allowIncomplete">Merge even when a partition is missing or its last run did not complete.</param>
    /// <param name="cancellationToken">Cancels the merge.</param>
    /// <returns>What was merged.</returns>
    /// <exception cref="InvalidOperationException">No partitions; partitions of different counts, models, factory strings or dimensions; a missing or unfinished partition (unless allowed); the root holds an unpartitioned build.</exception>
    /// <exception cref="ShardAlignmentException">An item id is in two partitions.</exception>
    public async Task<PartitionMergeResult> MergeAsync(bool allowIncomplete = false, CancellationToken cancellationToken = default)
    {
        var rootProgress = await ShardedStoreReader.ReadProgressAsync(_store, cancellationToken).ConfigureAwait(false);
        if (rootProgress is { Merged: false })
        {
            throw new InvalidOperationException($"{_store.Location} holds an unpartitioned build at its root; a merged view cannot be written over it.");
        }

        var partitions = new SortedDictionary<int, (string Prefix, BuildProgressDocument Progress)>();
        var count = 0;
        await foreach (var info in _store.ListAsync("part-", cancellationToken).ConfigureAwait(false))
        {
            var match = PartitionProgress().Match(info.Name);
            if (!match.Success)
            {
                continue;
            }

            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var of = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (count != 0 && of != count)
            {
                throw new InvalidOperationException($"{_store.Location} holds partitions of different counts ({count} and {of}); merge one partitioning at a time.");
            }

            count = of;
            var prefix = $"part-{index}-of-{of}/";
            var progress = await ShardedStoreReader.ReadProgressAsync(new PrefixedShardStore(_store, prefix), cancellationToken).ConfigureAwait(false);
            partitions[index] = (prefix, progress!);
        }

        if (partitions.Count == 0)
        {
            throw new InvalidOperationException($"{_store.Location} has no partitions (part-i-of-N/progress.json) to merge.");
        }

        var missing = Enumerable.Range(0, count).Where(i => !partitions.ContainsKey(i)).Select(i => $"part-{i}-of-{count}/").ToArray();
        var incomplete = partitions.Values.Where(p => !p.Progress.Completed).Select(p => p.Prefix).ToArray();
        if (!allowIncomplete && (missing.Length > 0 || incomplete.Length > 0))
        {
            throw new InvalidOperationException(
                $"Cannot merge {_store.Location}: {(missing.Length > 0 ? $"missing {string.Join(", ", missing)}" : string.Empty)}{(missing.Length > 0 && incomplete.Length > 0 ? "; " : string.Empty)}{(incomplete.Length > 0 ? $"not finished: {string.Join(", ", incomplete)}" : string.Empty)}. Finish them, or allow an incomplete merge.");
        }

        var first = partitions.Values.First().Progress;
        foreach (var (prefix, progress) in partitions.Values)
        {
            if (progress.Model != first.Model || progress.Factory != first.Factory || progress.Metric != first.Metric)
            {
                throw new InvalidOperationException(
                    $"{prefix} was built with '{progress.Model}' / '{progress.Factory}' / {progress.Metric}; {partitions.Values.First().Prefix} with '{first.Model}' / '{first.Factory}' / {first.Metric}.");
            }
        }

        var model = first.Model;
        var types = partitions.Values.SelectMany(p => p.Progress.Types).Distinct(StringComparer.Ordinal).ToArray();
        var prefixes = partitions.Values.Select(p => p.Prefix).ToArray();
        var vectors = new Dictionary<string, long>(StringComparer.Ordinal);
        var shardCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var counters = new Dictionary<string, ShardCounters>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            var entries = new List<ShardManifestEntry>();
            var labels = new List<(long, string)>();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            int? dimension = null;
            bool? normalized = null;
            foreach (var (prefix, progress) in partitions.Values)
            {
                var part = new PrefixedShardStore(_store, prefix);
                var manifest = await ShardedStoreReader.ReadManifestAsync(part, model, type, cancellationToken).ConfigureAwait(false);
                if (manifest is null)
                {
                    _logger.LogInformation("{Prefix} has no '{Type}' shards", prefix, type);
                    continue;
                }

                if (dimension is { } d && d != manifest.Dimension)
                {
                    throw new InvalidOperationException($"{prefix}'s '{type}' index is {manifest.Dimension}-d; other partitions' are {d}-d.");
                }

                if (normalized is { } n && n != manifest.NormalizesVectors)
                {
                    throw new InvalidOperationException($"{prefix}'s '{type}' vectors are {(manifest.NormalizesVectors ? string.Empty : "not ")}L2-normalised; other partitions' are {(n ? string.Empty : "not ")}.");
                }

                dimension = manifest.Dimension;
                normalized = manifest.NormalizesVectors;
                foreach (var entry in manifest.Shards)
                {
                    var ids = await ShardedStoreReader.ReadShardIdsAsync(part, entry, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < ids.Count; i++)
                    {
                        var id = ids[i];
                        if (!seen.TryAdd(id, prefix))
                        {
                            throw new ShardAlignmentException($"The item id '{id}' is in both {seen[id]} and {prefix} ('{type}'); partitions must be disjoint.");
                        }

                        labels.Add((entry.FirstLabel + i, id));
                    }

                    entries.Add(entry with
                    {
                        Name = prefix + entry.Name,
                        IdMap = prefix + entry.IdMap,
                        Batches = entry.Batches?.Select(b => b with { Name = prefix + b.Name, IdMap = prefix + b.IdMap }).ToArray(),
                        Partition = progress.Partition,
                    });
                }
            }

            if (dimension is null)
            {
                continue;
            }

            var total = entries.Sum(e => e.Count);
            var merged = new ShardManifest
            {
                Model = model,
                Type = type,
                Dimension = dimension.Value,
                Metric = first.Metric,
                Factory = first.Factory,
                Normalized = normalized,
                Count = total,
                Merged = true,
                Partitions = prefixes,
                Shards = entries,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            await _store.PutAsync(ShardStoreLayout.IdMapName(model, type), IdMapWriter.Write(model, type, labels.Count, labels),
                new ShardPutOptions { ContentType = "application/json", Mutable = true }, cancellationToken).ConfigureAwait(false);
            await _store.PutAsync(ShardStoreLayout.ManifestName(model, type), ShardingJson.Serialize(merged),
                new ShardPutOptions { ContentType = "application/json", Mutable = true }, cancellationToken).ConfigureAwait(false);
            vectors[type] = total;
            shardCounts[type] = entries.Count;
            counters[type] = new ShardCounters
            {
                Shards = entries.Count,
                Sealed = entries.Count(e => e.Sealed),
                Vectors = total,
                Bytes = entries.Sum(e => e.Bytes),
                NextLabel = -1,
            };
            _logger.LogInformation("Merged '{Type}': {Shards} shards, {Vectors} vectors from {Partitions} partitions", type, entries.Count, total, partitions.Count);
        }

        var brands = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, progress) in partitions.Values)
        {
            foreach (var (brand, n) in progress.Brands)
            {
                brands[brand] = brands.GetValueOrDefault(brand) + n;
            }
        }

        var failed = partitions.Values.SelectMany(p => p.Progress.Failed).ToArray();
        var document = new BuildProgressDocument
        {
            Model = model,
            Types = types,
            Factory = first.Factory,
            Metric = first.Metric,
            Completed = missing.Length == 0 && incomplete.Length == 0,
            Runs = partitions.Values.Max(p => p.Progress.Runs),
            StartedAt = partitions.Values.Min(p => p.Progress.StartedAt),
            UpdatedAt = DateTimeOffset.UtcNow,
            Checkpoint = new ProgressCheckpoint
            {
                Processed = partitions.Values.Sum(p => p.Progress.Checkpoint.Processed),
                Indexed = partitions.Values.Sum(p => p.Progress.Checkpoint.Indexed),
                Failed = failed.Length,
            },
            Indexed = vectors,
            Brands = brands,
            Shards = counters,
            Failed = failed,
            Merged = true,
            Partitions = prefixes,
        };
        await _store.PutAsync(ShardStoreLayout.ProgressName, ShardingJson.Serialize(document),
            new ShardPutOptions { ContentType = "application/json", Mutable = true }, cancellationToken).ConfigureAwait(false);

        return new PartitionMergeResult
        {
            Store = _store.Location,
            Model = model,
            Partitions = prefixes,
            Incomplete = missing.Concat(incomplete).ToArray(),
            Vectors = vectors,
            Shards = shardCounts,
            Brands = brands,
            Failed = failed.Length,
        };
    }

    [GeneratedRegex(@"^part-(\d+)-of-(\d+)/progress\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionProgress();
}
