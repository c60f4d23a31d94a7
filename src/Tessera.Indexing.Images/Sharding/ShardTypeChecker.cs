using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The structural checks of one type for <see cref="AlignmentChecker"/>: the manifest, every shard's
/// index object (present, checksum, readable, dimension, metric, count), its id-map segment and its
/// batch objects, label ranges, and leftovers of an interrupted run.
/// </summary>
internal sealed class ShardTypeChecker(IShardStore store, IVectorIndexBuilder indexBuilder, AlignmentProblems problems)
{
    /// <returns>The checked type, or <see langword="null"/> when it has no (readable) manifest.</returns>
    public async Task<CheckedType?> CheckAsync(string model, string type, BuildProgressDocument? progress, CancellationToken cancellationToken)
    {
        var manifestName = ShardStoreLayout.ManifestName(model, type);
        ShardManifest? manifest;
        try
        {
            manifest = await ShardedStoreReader.ReadManifestAsync(store, model, type, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e)
        {
            problems.Add(AlignmentProblemKind.MissingManifest, type, manifestName, e.Message);
            return null;
        }

        if (manifest is null)
        {
            if (progress is not null && progress.Indexed.GetValueOrDefault(type) == 0)
            {
                // A build that has not indexed anything yet (or whose every item failed) writes no manifest.
                problems.Warn($"'{type}' has no vectors yet (no {manifestName}).");
            }
            else
            {
                problems.Add(AlignmentProblemKind.MissingManifest, type, manifestName, $"'{type}' has no manifest ({manifestName}).");
            }

            return null;
        }

        var result = new CheckedType(manifest);
        try
        {
            var expectedByPartition = new Dictionary<string, long>(StringComparer.Ordinal);
            var ranges = new List<(long First, long Last, string Name)>();
            foreach (var entry in manifest.Shards)
            {
                cancellationToken.ThrowIfCancellationRequested();
                result.Vectors += entry.Count;
                CheckLabels(type, entry, expectedByPartition);
                ranges.Add((entry.FirstLabel, entry.LastLabel, entry.Name));
                await CheckShardAsync(type, manifest, entry, result, cancellationToken).ConfigureAwait(false);
            }

            ranges.Sort();
            for (var i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].First <= ranges[i - 1].Last)
                {
                    problems.Add(AlignmentProblemKind.LabelMismatch, type, ranges[i].Name, $"{ranges[i].Name}'s labels overlap {ranges[i - 1].Name}'s.");
                }
            }

            if (manifest.Count != result.Vectors)
            {
                problems.Add(AlignmentProblemKind.CountMismatch, type, manifestName, $"{manifestName} says {manifest.Count} vectors; its shards add up to {result.Vectors}.");
            }

            await CheckLeftoversAsync(model, type, manifest, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private void CheckLabels(string type, ShardManifestEntry entry, Dictionary<string, long> expectedByPartition)
    {
        if (entry.LastLabel != entry.FirstLabel + entry.Count - 1)
        {
            problems.Add(AlignmentProblemKind.LabelMismatch, type, entry.Name, $"{entry.Name}: labels {entry.FirstLabel}..{entry.LastLabel} do not span its {entry.Count} vectors.");
        }

        // Inside one namespace (a partition, or an unpartitioned build) labels run on without gaps.
        var group = entry.Partition ?? string.Empty;
        var expected = expectedByPartition.TryGetValue(group, out var next)
            ? next
            : ShardStoreLayout.LabelBase(entry.Partition is { } p && ItemPartition.TryParse(p, out var partition) ? partition : null);
        if (entry.FirstLabel != expected)
        {
            problems.Add(AlignmentProblemKind.LabelMismatch, type, entry.Name, $"{entry.Name} starts at label {entry.FirstLabel}; the previous shard ends at {expected - 1}.");
        }

        expectedByPartition[group] = entry.FirstLabel + entry.Count;
    }

    private async Task CheckShardAsync(string type, ShardManifest manifest, ShardManifestEntry entry, CheckedType result, CancellationToken cancellationToken)
    {
        var blob = await store.GetAsync(entry.Name, cancellationToken).ConfigureAwait(false);
        if (blob is null)
        {
            problems.Add(AlignmentProblemKind.MissingShard, type, entry.Name, $"{entry.Name} is listed in {ShardStoreLayout.ManifestName(manifest.Model, type)} but missing from the store.");
            return;
        }

        var sha = ShardingJson.Sha256(blob.Content.Span);
        if (blob.Content.Length != entry.Bytes || sha != entry.Sha256)
        {
            problems.Add(AlignmentProblemKind.ChecksumMismatch, type, entry.Name,
                $"{entry.Name}: {blob.Content.Length:N0} bytes with SHA-256 {sha}; the manifest records {entry.Bytes:N0} bytes with {entry.Sha256}.");
        }

        IVectorIndex? index = null;
        try
        {
            index = indexBuilder.Deserialize(blob.Content.Span);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            problems.Add(AlignmentProblemKind.UnreadableShard, type, entry.Name, $"{entry.Name} is not a readable index: {e.Message}");
        }

        try
        {
            if (index is not null && (index.Dimension != manifest.Dimension || index.Metric != manifest.Metric))
            {
                problems.Add(AlignmentProblemKind.UnreadableShard, type, entry.Name,
                    $"{entry.Name} is a {index.Dimension}-d {index.Metric} index; the manifest says {manifest.Dimension}-d {manifest.Metric}.");
            }

            var segment = await ReadSegmentAsync(type, entry, cancellationToken).ConfigureAwait(false);
            var indexCount = entry.IndexCount;
            var ntotal = index?.Count ?? indexCount;
            if (index is not null && index.Count != indexCount)
            {
                problems.Add(AlignmentProblemKind.CountMismatch, type, entry.Name, $"{entry.Name} holds {index.Count} vectors (ntotal); the manifest says {indexCount}.");
            }

            var ids = new List<string>();
            var images = new List<string>();
            var whole = index is not null && segment is not null && segment.Ids.Count == index.Count;
            if (segment is not null)
            {
                if (segment.Ids.Count != ntotal)
                {
                    problems.Add(AlignmentProblemKind.CountMismatch, type, entry.IdMap, $"{entry.Name} holds {ntotal} vectors (ntotal) but its id-map slice names {segment.Ids.Count} items.");
                }

                if (entry.IdMapSha256 is not null && segment.Ids.Count >= indexCount
                    && IdMapDigest.Compute(segment, indexCount) is var digest && digest != entry.IdMapSha256)
                {
                    problems.Add(AlignmentProblemKind.IdMapChecksumMismatch, type, entry.IdMap,
                        $"{entry.IdMap}: its first {indexCount} ids hash to {digest}; the manifest records {entry.IdMapSha256} (the list was changed after it was written).");
                }

                if (segment.FirstLabel != entry.FirstLabel)
                {
                    problems.Add(AlignmentProblemKind.LabelMismatch, type, entry.IdMap, $"{entry.IdMap} starts at label {segment.FirstLabel}; the manifest says {entry.FirstLabel}.");
                }

                Record(type, entry.Name, segment, segment.Ids.Count, result, ids, images);
            }

            foreach (var batch in entry.Batches ?? [])
            {
                whole &= await CheckBatchAsync(type, manifest, entry, batch, index, result, ids, images, cancellationToken).ConfigureAwait(false);
            }

            if (whole)
            {
                result.Loaded.Add(new ShardedIndex.LoadedShard(entry, index!, [.. ids], [.. images]));
                index = null;
            }
        }
        finally
        {
            index?.Dispose();
        }
    }

    private async Task<IdMapSegment?> ReadSegmentAsync(string type, ShardManifestEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var segment = await ShardedStoreReader.ReadSegmentAsync(store, entry.IdMap, cancellationToken).ConfigureAwait(false);
            if (segment is null)
            {
                problems.Add(AlignmentProblemKind.MissingIdMap, type, entry.IdMap, $"{entry.IdMap} (the id map of {entry.Name}) is missing.");
            }

            return segment;
        }
        catch (ShardStoreException e)
        {
            problems.Add(AlignmentProblemKind.MissingIdMap, type, entry.IdMap, e.Message);
            return null;
        }
    }

    /// <returns>Whether the batch is readable and continues the shard (so the shard can be searched).</returns>
    private async Task<bool> CheckBatchAsync(
        string type, ShardManifest manifest, ShardManifestEntry entry, ShardBatchEntry batch, IVectorIndex? index, CheckedType result, List<string> ids, List<string> images, CancellationToken cancellationToken)
    {
        IdMapSegment batchIds;
        float[] vectors;
        try
        {
            (batchIds, vectors) = await ShardBatchObjects.ReadAsync(store, batch, manifest.Dimension, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e)
        {
            var kind = e.Kind == ShardStoreErrorKind.NotFound
                ? (e.ObjectName == batch.IdMap ? AlignmentProblemKind.MissingIdMap : AlignmentProblemKind.MissingShard)
                : e.ObjectName == batch.IdMap ? AlignmentProblemKind.IdMapChecksumMismatch : AlignmentProblemKind.ChecksumMismatch;
            problems.Add(kind, type, batch.Name, e.Message);
            return false;
        }

        var expected = entry.FirstLabel + ids.Count;
        if (batch.FirstLabel != expected)
        {
            problems.Add(AlignmentProblemKind.LabelMismatch, type, batch.Name, $"{batch.Name} starts at label {batch.FirstLabel}; the vectors before it end at {expected - 1}.");
            return false;
        }

        index?.Add(vectors);
        Record(type, entry.Name, batchIds, batch.Count, result, ids, images);
        return true;
    }

    private void Record(string type, string shard, IdMapSegment segment, long count, CheckedType result, List<string> ids, List<string> images)
    {
        for (var i = 0; i < count; i++)
        {
            var id = segment.Ids[i];
            result.Labels[segment.FirstLabel + i] = id;
            ids.Add(id);
            images.Add(segment.Images is { } known && i < known.Count ? known[i] : string.Empty);
            if (!result.Owner.TryAdd(id, shard))
            {
                problems.Add(AlignmentProblemKind.DuplicateId, type, shard, $"The item id '{id}' is in {result.Owner[id]} and again in {shard}.");
            }
        }
    }

    private async Task CheckLeftoversAsync(string model, string type, ShardManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Merged)
        {
            return;
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest.Shards)
        {
            referenced.Add(entry.Name);
            referenced.Add(entry.IdMap);
            foreach (var batch in entry.Batches ?? [])
            {
                referenced.Add(batch.Name);
                referenced.Add(batch.IdMap);
            }
        }

        await foreach (var info in store.ListAsync($"{model}_{type}_shard_", cancellationToken).ConfigureAwait(false))
        {
            if (!referenced.Contains(info.Name))
            {
                problems.Warn($"{info.Name} is in the store but not in the manifest (left by an interrupted run; resuming the build reconciles it).");
            }
        }
    }
}
