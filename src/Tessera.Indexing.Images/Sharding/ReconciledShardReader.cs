using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Reads one shard at a time for <see cref="ShardReconciler"/>, in shard order: its index object
/// (trusted without download when sealed and of the recorded size), its segment, its batch objects,
/// and the repairs each needs; then reopens the last shard for writing.
/// </summary>
internal sealed class ReconciledShardReader(TypeShardSet set, List<string> repairs)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<float[]> _batchVectors = [];
    private ShardRecord? _previous;
    private byte[]? _previousBytes;

    private IShardStore Store => set.Store;

    public async Task<ShardRecord> ReadAsync(int number, ShardReconciler.ListedShard objects, ShardManifestEntry? entry, bool sealedByPosition, CancellationToken cancellationToken)
    {
        await MaterializeIfNeededAsync(cancellationToken).ConfigureAwait(false);
        var name = ShardStoreLayout.ShardName(set.Model, set.Type, number);
        var segmentName = ShardStoreLayout.IdSegmentName(set.Model, set.Type, number);
        var trusted = entry is not null && entry.Sealed && entry.Batches is null && objects.Index!.Length == entry.Bytes;
        byte[]? bytes = null;
        if (!trusted)
        {
            bytes = await DownloadAsync(name, cancellationToken).ConfigureAwait(false);
            trusted = entry is not null && ShardingJson.Sha256(bytes) == entry.Sha256;
        }

        var segment = await ShardedStoreReader.ReadSegmentAsync(Store, segmentName, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardAlignmentException($"{name} has no id-map segment ({segmentName}); its vectors cannot be mapped to items.");
        var adopted = false;
        long indexCount;
        if (trusted)
        {
            indexCount = entry!.IndexCount;
        }
        else
        {
            // The store holds a newer index object than the manifest: uploaded just before a crash. Adopt it.
            using var index = Deserialize(bytes!, name);
            indexCount = index.Count;
            var minimum = entry is null ? 0 : entry.Batches is { Count: > 0 } ? entry.Count : entry.Count + 1;
            if (indexCount < minimum)
            {
                throw new ShardAlignmentException(
                    $"{name} does not match the manifest's checksum and holds {indexCount} vectors (manifest: {entry!.Count}); it is corrupt.");
            }

            if (index.Dimension != (set.Dimension == 0 ? index.Dimension : set.Dimension))
            {
                throw new ShardAlignmentException($"{name} is {index.Dimension}-d; the '{set.Type}' index is {set.Dimension}-d.");
            }

            set.Dimension = index.Dimension;
            repairs.Add($"adopted {name}: {indexCount} vectors (manifest: {entry?.Count ?? 0}) uploaded before the manifest was written");
            adopted = true;
        }

        if (segment.Ids.Count < indexCount)
        {
            throw new ShardAlignmentException($"{name} holds {indexCount} vectors but its id-map segment names only {segment.Ids.Count}.");
        }

        CheckSegmentDigest(segmentName, segment, indexCount, trusted, adopted ? objects.Index!.Metadata?.GetValueOrDefault("ids-sha256") : null, entry);

        if (segment.FirstLabel != set.NextLabel)
        {
            throw new ShardAlignmentException($"{segmentName} starts at label {segment.FirstLabel}; expected {set.NextLabel} (the previous shard's last label + 1).");
        }

        var record = new ShardRecord
        {
            Number = number,
            Name = name,
            SegmentName = segmentName,
            FirstLabel = segment.FirstLabel,
            IndexObjectCount = indexCount,
            NTotal = indexCount,
            Sealed = sealedByPosition || (!adopted && entry!.Sealed),
        };
        AddIds(record, segment, indexCount);
        if (segment.Ids.Count > indexCount)
        {
            // A crash after the segment's upload, before the index object's: the extra ids are not in it.
            await Store.PutAsync(
                segmentName,
                ShardingJson.Serialize(new IdMapSegment { Shard = name, FirstLabel = record.FirstLabel, Ids = record.Ids, Brands = record.Brands, Images = record.Images }, compact: true),
                new ShardPutOptions { ContentType = "application/json", Mutable = true },
                cancellationToken).ConfigureAwait(false);
            repairs.Add($"truncated {segmentName} from {segment.Ids.Count} to {indexCount} ids (the rest are in batch objects or were never indexed)");
        }

        _batchVectors.Clear();
        var listedBatches = adopted ? [] : entry?.Batches ?? [];
        foreach (var batch in listedBatches)
        {
            await ReadListedBatchAsync(record, batch, cancellationToken).ConfigureAwait(false);
        }

        var batchesAdopted = await SweepBatchObjectsAsync(record, objects, listedBatches, cancellationToken).ConfigureAwait(false);
        var unchanged = entry is not null && !adopted && !batchesAdopted && entry.Sealed == record.Sealed;
        record.Entry = unchanged
            ? entry
            : set.NewEntry(record, bytes?.LongLength ?? entry!.Bytes, bytes is null ? entry!.Sha256 : ShardingJson.Sha256(bytes));
        set.ManifestDirty |= !unchanged;
        _previous = record;
        _previousBytes = bytes;
        return record;
    }

    /// <summary>
    /// Refuses a segment whose ids were changed after they were written: its first entries must match
    /// the checksum the manifest records for the index object's ids (or, for an index object adopted
    /// after a crash, the checksum stored with that object, and the manifest's for the prefix it knew).
    /// Nothing is rewritten from a segment that fails, so a tampered list never becomes valid.
    /// </summary>
    private static void CheckSegmentDigest(string segmentName, IdMapSegment segment, long indexCount, bool trusted, string? adoptedSha, ShardManifestEntry? entry)
    {
        if (trusted)
        {
            Check(indexCount, entry!.IdMapSha256, "the manifest");
            return;
        }

        Check(indexCount, adoptedSha, "its index object");
        if (entry is not null && entry.IndexCount <= indexCount)
        {
            Check(entry.IndexCount, entry.IdMapSha256, "the manifest");
        }

        void Check(long count, string? sha, string source)
        {
            if (sha is null || segment.Ids.Count < count)
            {
                return; // nothing recorded, or too few ids (the caller reports that)
            }

            var actual = IdMapDigest.Compute(segment, count);
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new ShardAlignmentException(
                    $"{segmentName}: its first {count} ids do not match the checksum {source} records ({actual} vs {sha}); the list was changed after it was written. Refusing to reuse it: run check-alignment, then rebuild the type.");
            }
        }
    }

    /// <summary>Loads the last shard for writing (index object + batch objects), or seals it when it is full.</summary>
    public async Task ReopenLastAsync(CancellationToken cancellationToken)
    {
        var last = _previous;
        if (last is null || (last.Sealed && last.Batches.Count == 0))
        {
            return;
        }

        if (last.Batches.Count == 0 && last.NTotal >= set.Options.ItemsPerShard)
        {
            SealWithoutUpload(last);
            return;
        }

        await MaterializeAsync(last, cancellationToken).ConfigureAwait(false);
        if (!last.Sealed && (last.NTotal >= set.Options.ItemsPerShard || last.NTotal >= set.Writer.MaxVectorsBySize))
        {
            set.Writer.Seal(last);
        }

        if (!last.Sealed)
        {
            set.Current = last;
        }
        else if (last.Batches.Count == 0)
        {
            last.Close();
            SealWithoutUpload(last);
        }

        // A sealed shard with batch objects keeps its index: the next commit uploads it whole.
    }

    private void SealWithoutUpload(ShardRecord shard)
    {
        shard.Sealed = true;
        shard.Entry = shard.Entry! with { Sealed = true };
        set.ManifestDirty = true;
    }

    /// <summary>A shard with batch objects must be in memory: its next commit uploads it whole.</summary>
    private async Task MaterializeIfNeededAsync(CancellationToken cancellationToken)
    {
        if (_previous is { Batches.Count: > 0 } previous)
        {
            previous.Sealed = true;
            await MaterializeAsync(previous, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task MaterializeAsync(ShardRecord shard, CancellationToken cancellationToken)
    {
        var bytes = _previousBytes ?? await DownloadAsync(shard.Name, cancellationToken).ConfigureAwait(false);
        var index = Deserialize(bytes, shard.Name);
        try
        {
            if (index.Count != shard.IndexObjectCount)
            {
                throw new ShardAlignmentException($"{shard.Name} holds {index.Count} vectors; the manifest says {shard.IndexObjectCount}.");
            }

            foreach (var vectors in _batchVectors)
            {
                index.Add(vectors);
            }
        }
        catch
        {
            index.Dispose();
            throw;
        }

        shard.Index = index;
        set.Writer.Measure(bytes);
        _batchVectors.Clear();
    }

    private async Task ReadListedBatchAsync(ShardRecord record, ShardBatchEntry batch, CancellationToken cancellationToken)
    {
        IdMapSegment ids;
        float[] vectors;
        try
        {
            (ids, vectors) = await ShardBatchObjects.ReadAsync(Store, batch, set.Dimension, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e)
        {
            throw new ShardAlignmentException($"A batch object the manifest lists cannot be read; its vectors are lost. Run check-alignment, then rebuild the type. {e.Message}", e);
        }

        if (batch.FirstLabel != record.FirstLabel + record.NTotal)
        {
            throw new ShardAlignmentException($"{batch.Name} starts at label {batch.FirstLabel}; expected {record.FirstLabel + record.NTotal}.");
        }

        AddIds(record, ids, batch.Count);
        record.Batches.Add(batch);
        record.NTotal += batch.Count;
        _batchVectors.Add(vectors);
    }

    /// <summary>Adopts the complete batch objects that continue an open shard; removes every other batch object the manifest does not list.</summary>
    private async Task<bool> SweepBatchObjectsAsync(ShardRecord record, ShardReconciler.ListedShard objects, IReadOnlyList<ShardBatchEntry> listed, CancellationToken cancellationToken)
    {
        var adoptedAny = false;
        var next = (record.Batches.Count == 0 ? 0 : record.Batches[^1].Number) + 1;
        foreach (var (number, (ids, vectors)) in objects.Batches)
        {
            if (listed.Any(b => b.Number == number))
            {
                continue;
            }

            if (!record.Sealed && number == next && ids is not null && vectors is not null
                && await TryAdoptBatchAsync(record, number, ids.Name, vectors.Name, cancellationToken).ConfigureAwait(false))
            {
                adoptedAny = true;
                next++;
                continue;
            }

            foreach (var info in new[] { ids, vectors })
            {
                if (info is not null)
                {
                    await Store.DeleteAsync(info.Name, cancellationToken).ConfigureAwait(false);
                    repairs.Add($"removed {info.Name}: a batch object no manifest lists (superseded by a whole upload, or never committed)");
                }
            }
        }

        return adoptedAny;
    }

    private async Task<bool> TryAdoptBatchAsync(ShardRecord record, int number, string idsName, string vectorsName, CancellationToken cancellationToken)
    {
        if (set.Dimension == 0)
        {
            return false;
        }

        IdMapSegment? ids;
        ShardBlob? blob;
        float[] vectors;
        try
        {
            ids = await ShardedStoreReader.ReadSegmentAsync(Store, idsName, cancellationToken).ConfigureAwait(false);
            blob = await Store.GetAsync(vectorsName, cancellationToken).ConfigureAwait(false);
            if (ids is null || blob is null)
            {
                return false;
            }

            vectors = ShardBatchObjects.DecodeVectors(blob.Content.Span, set.Dimension, vectorsName);
        }
        catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.Corrupt)
        {
            return false;
        }

        var count = vectors.Length / set.Dimension;
        var sha = ShardingJson.Sha256(blob.Content.Span);
        var recorded = blob.Info.Metadata?.GetValueOrDefault("sha256");
        var idsRecorded = blob.Info.Metadata?.GetValueOrDefault("ids-sha256");
        if (ids.Ids.Count != count || ids.FirstLabel != record.FirstLabel + record.NTotal
            || (recorded is not null && recorded != sha) || record.NTotal + count > set.Options.ItemsPerShard)
        {
            return false;
        }

        var idsSha = IdMapDigest.Compute(ids, count);
        if (idsRecorded is not null && idsRecorded != idsSha)
        {
            return false;
        }

        AddIds(record, ids, count);
        record.Batches.Add(new ShardBatchEntry
        {
            Number = number,
            Name = vectorsName,
            IdMap = idsName,
            Count = count,
            Bytes = blob.Content.Length,
            Sha256 = sha,
            IdsSha256 = idsSha,
            FirstLabel = ids.FirstLabel,
        });
        record.NTotal += count;
        _batchVectors.Add(vectors);
        repairs.Add($"adopted {vectorsName}: {count} vectors uploaded before the manifest was written");
        return true;
    }

    private void AddIds(ShardRecord record, IdMapSegment segment, long count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!_seen.Add(segment.Ids[i]))
            {
                throw new ShardAlignmentException($"The item id '{segment.Ids[i]}' appears twice in the '{set.Type}' id map (again in {record.Name}).");
            }

            record.Ids.Add(segment.Ids[i]);
            record.Brands.Add(segment.Brands?[i]);
            record.Images.Add(segment.Images is { } images && i < images.Count ? images[i] : string.Empty);
        }
    }

    private async Task<byte[]> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        var blob = await Store.GetAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new ShardAlignmentException($"{name} disappeared from {Store.Location} while resuming.");
        return blob.Content.ToArray();
    }

    private IVectorIndex Deserialize(byte[] bytes, string name)
    {
        try
        {
            return set.IndexBuilder.Deserialize(bytes);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new ShardAlignmentException($"{name} is not a readable index: {e.Message}", e);
        }
    }
}
