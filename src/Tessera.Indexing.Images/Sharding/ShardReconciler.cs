using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The stage that opens a type's shards for a build: reads the manifest and lists the store, then
/// reconciles what a crashed run left, and reopens the last open shard (its index object plus its
/// batch objects).
/// </summary>
/// <remarks>
/// Index objects uploaded after the manifest was last written are adopted (their id-map segments are
/// written first, so they name every vector), and so are complete batch objects that continue the
/// open shard; segments longer than their index objects are truncated; segments and batch objects
/// nothing refers to are removed. What cannot be reconciled (an object the manifest lists is missing
/// or corrupt, fewer vectors than the manifest records, duplicate ids) stops the build.
/// </remarks>
internal sealed class ShardReconciler(TypeShardSet set, List<string> repairs)
{
    private IShardStore Store => set.Store;

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var manifest = await ShardedStoreReader.ReadManifestAsync(Store, set.Model, set.Type, cancellationToken).ConfigureAwait(false);
        if (manifest is not null)
        {
            CheckCompatible(manifest);
            set.Dimension = manifest.Dimension;
        }

        var listed = await ListAsync(cancellationToken).ConfigureAwait(false);
        var entries = manifest?.Shards.ToDictionary(e => e.Number) ?? [];
        var last = Math.Max(listed.Count == 0 ? 0 : listed.Keys.Max(), entries.Count == 0 ? 0 : entries.Keys.Max());
        var lastShard = Math.Max(listed.Where(p => p.Value.Index is not null).Select(p => p.Key).DefaultIfEmpty().Max(), entries.Count == 0 ? 0 : entries.Keys.Max());
        var reader = new ReconciledShardReader(set, repairs);
        for (var number = 1; number <= last; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            listed.TryGetValue(number, out var objects);
            objects ??= new ListedShard();
            entries.TryGetValue(number, out var entry);
            if (objects.Index is null)
            {
                await RemoveUnfinishedAsync(number, last, objects, entry, cancellationToken).ConfigureAwait(false);
                break;
            }

            var record = await reader.ReadAsync(number, objects, entry, sealedByPosition: number < lastShard, cancellationToken).ConfigureAwait(false);
            set.Shards.Add(record);
            set.NextLabel = record.FirstLabel + record.NTotal;
        }

        if (set.Shards.Count == 0)
        {
            set.NextLabel = set.LabelBase;
        }

        await reader.ReopenLastAsync(cancellationToken).ConfigureAwait(false);
        if (set.ManifestDirty)
        {
            await set.Committer.WriteManifestAsync(cancellationToken).ConfigureAwait(false);
            repairs.Add($"rewrote {set.ManifestName}");
        }
    }

    private void CheckCompatible(ShardManifest manifest)
    {
        var options = set.Options;
        if (manifest.Merged)
        {
            throw new InvalidOperationException(
                $"{Store.Location}{set.ManifestName} is the combined manifest of merged partitions; build with --partition into the partitions, or into another store.");
        }

        if (!string.Equals(manifest.Factory, options.FactoryString, StringComparison.Ordinal) || manifest.Metric != options.Metric)
        {
            throw new InvalidOperationException(
                $"The '{set.Type}' index in {Store.Location} was built as '{manifest.Factory}' ({manifest.Metric}); this run asks for '{options.FactoryString}' ({options.Metric}).");
        }

        if (manifest.NormalizesVectors != options.NormalizeVectors)
        {
            throw new InvalidOperationException(
                $"The '{set.Type}' index in {Store.Location} was built with NormalizeVectors = {manifest.NormalizesVectors}; this run asks for {options.NormalizeVectors}.");
        }
    }

    /// <summary>The shard, segment and batch objects of the type, by shard number.</summary>
    private async Task<SortedDictionary<int, ListedShard>> ListAsync(CancellationToken cancellationToken)
    {
        var listed = new SortedDictionary<int, ListedShard>();
        ListedShard At(int number)
        {
            if (!listed.TryGetValue(number, out var shard))
            {
                listed[number] = shard = new ListedShard();
            }

            return shard;
        }

        await foreach (var info in Store.ListAsync($"{set.Model}_{set.Type}_shard_", cancellationToken).ConfigureAwait(false))
        {
            if (ShardStoreLayout.TryParseShardName(info.Name, set.Model, set.Type, out var number, out var isSegment))
            {
                var shard = At(number);
                if (isSegment)
                {
                    shard.Segment = info;
                }
                else
                {
                    shard.Index = info;
                }
            }
            else if (ShardStoreLayout.TryParseBatchName(info.Name, set.Model, set.Type, out var shardNumber, out var batch, out var isIds))
            {
                var objects = At(shardNumber).Batches;
                objects.TryGetValue(batch, out var pair);
                objects[batch] = isIds ? (info, pair.Vectors) : (pair.Ids, info);
            }
        }

        return listed;
    }

    /// <summary>The first shard number without an index object: only its leftovers (a crash before its first upload) may exist.</summary>
    private async Task RemoveUnfinishedAsync(int number, int last, ListedShard objects, ShardManifestEntry? entry, CancellationToken cancellationToken)
    {
        var name = ShardStoreLayout.ShardName(set.Model, set.Type, number);
        if (entry is not null)
        {
            throw new ShardAlignmentException($"{name} is listed in the manifest but missing from {Store.Location}; its vectors are lost. Run check-alignment, then rebuild the type.");
        }

        if (number != last)
        {
            throw new ShardAlignmentException($"{name} is missing from {Store.Location} but later shards exist.");
        }

        if (objects.Segment is not null)
        {
            // A crash between uploading a new shard's segment and the shard itself.
            await Store.DeleteAsync(objects.Segment.Name, cancellationToken).ConfigureAwait(false);
            repairs.Add($"removed {objects.Segment.Name}: an id-map segment whose shard was never uploaded");
        }

        foreach (var (_, (ids, vectors)) in objects.Batches)
        {
            foreach (var info in new[] { ids, vectors })
            {
                if (info is not null)
                {
                    await Store.DeleteAsync(info.Name, cancellationToken).ConfigureAwait(false);
                    repairs.Add($"removed {info.Name}: a batch object of a shard that was never uploaded");
                }
            }
        }
    }

    /// <summary>What the store lists of one shard number.</summary>
    internal sealed class ListedShard
    {
        public ShardObjectInfo? Index { get; set; }

        public ShardObjectInfo? Segment { get; set; }

        public SortedDictionary<int, (ShardObjectInfo? Ids, ShardObjectInfo? Vectors)> Batches { get; } = [];
    }
}
