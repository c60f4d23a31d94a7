using Microsoft.Extensions.Logging;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The shards of one index type while a build runs: the current shard and its rotation, uploads
/// (id-map segment first, then the shard), the manifest, the alignment assertion, and the
/// reconciliation of what a crashed run left in the store.
/// </summary>
internal sealed class TypeShardSet : IDisposable
{
    private readonly IShardStore _store;
    private readonly ShardedIndexOptions _options;
    private readonly ILogger _logger;
    private readonly List<ShardRecord> _shards = [];
    private long _headerBytes;
    private long _bytesPerVector;

    private TypeShardSet(IShardStore store, string type, ShardedIndexOptions options, long labelBase, ILogger logger)
    {
        _store = store;
        Type = type;
        _options = options;
        _logger = logger;
        Model = options.ModelName;
        LabelBase = labelBase;
        NextLabel = labelBase;
    }

    public string Model { get; }

    public string Type { get; }

    public long LabelBase { get; }

    /// <summary>0 until the first vector (or a manifest) fixes it.</summary>
    public int Dimension { get; private set; }

    public long NextLabel { get; private set; }

    public IReadOnlyList<ShardRecord> Shards => _shards;

    public ShardRecord? Current { get; private set; }

    public bool ManifestDirty { get; private set; }

    public long Count => _shards.Sum(s => s.NTotal);

    public string ManifestName => ShardStoreLayout.ManifestName(Model, Type);

    /// <summary>Fixes the dimension from the first embedding (or checks it against the store's).</summary>
    public void EnsureDimension(int dimension)
    {
        if (Dimension == 0)
        {
            Dimension = dimension;
        }
        else if (Dimension != dimension)
        {
            throw new InvalidOperationException(
                $"The '{Type}' embedder produces {dimension}-d vectors but the '{Type}' index in the store is {Dimension}-d. Build into another store, or use the embedder it was built with.");
        }
    }

    /// <summary>Adds one vector per item (row-major), rotating shards by count and size.</summary>
    public void Add(ReadOnlySpan<float> vectors, IReadOnlyList<ImageItem> items)
    {
        var d = Dimension;
        if (vectors.Length != (long)items.Count * d)
        {
            throw new ArgumentException($"Expected {items.Count} vectors of {d} values.", nameof(vectors));
        }

        var offset = 0;
        while (offset < items.Count)
        {
            var current = Current ?? OpenShard(vectors[(offset * d)..]);
            var room = Math.Min(_options.ItemsPerShard, MaxVectorsBySize) - current.NTotal;
            if (room <= 0)
            {
                if (current.NTotal == 0)
                {
                    throw new InvalidOperationException(
                        $"One {d}-d vector in a '{_options.FactoryString}' shard needs about {_headerBytes + _bytesPerVector:N0} bytes, more than MaxShardBytes ({_options.MaxShardBytes:N0}).");
                }

                Seal(current);
                continue;
            }

            var take = (int)Math.Min(room, items.Count - offset);
            current.Index!.Add(vectors.Slice(offset * d, take * d));
            for (var i = offset; i < offset + take; i++)
            {
                current.Ids.Add(items[i].Id);
                current.Brands.Add(items[i].Brand);
                current.Images.Add(items[i].ImageLocation);
            }

            current.NTotal = current.Index.Count;
            current.Dirty = true;
            NextLabel += take;
            offset += take;
            if (current.NTotal >= Math.Min(_options.ItemsPerShard, MaxVectorsBySize))
            {
                Seal(current);
            }
        }
    }

    private long MaxVectorsBySize => Math.Max(0, (_options.MaxShardBytes - _headerBytes) / Math.Max(1, _bytesPerVector));

    private ShardRecord OpenShard(ReadOnlySpan<float> upcoming)
    {
        var number = _shards.Count == 0 ? 1 : _shards[^1].Number + 1;
        var index = FaissIndex.Create(Dimension, _options.FactoryString, _options.Metric);
        try
        {
            if (!index.IsTrained)
            {
                _logger.LogInformation("Training shard {Number} of '{Type}' ({Factory}) on {Count} vectors", number, Type, _options.FactoryString, upcoming.Length / Dimension);
                index.Train(upcoming);
            }

            EstimateSizes(index, upcoming);
        }
        catch
        {
            index.Dispose();
            throw;
        }

        var record = new ShardRecord
        {
            Number = number,
            Name = ShardStoreLayout.ShardName(Model, Type, number),
            SegmentName = ShardStoreLayout.IdSegmentName(Model, Type, number),
            FirstLabel = NextLabel,
            Index = index,
            Dirty = true,
        };
        _shards.Add(record);
        Current = record;
        return record;
    }

    /// <summary>Serialised size = header + count × per-vector bytes, measured on a scratch copy.</summary>
    private void EstimateSizes(FaissIndex emptyIndex, ReadOnlySpan<float> sample)
    {
        _headerBytes = emptyIndex.Serialize().LongLength;
        var n = Math.Min(16, sample.Length / Dimension);
        if (n == 0)
        {
            _bytesPerVector = Math.Max(_bytesPerVector, (long)Dimension * sizeof(float));
            return;
        }

        using var probe = emptyIndex.Clone();
        probe.Add(sample[..(n * Dimension)]);
        var perVector = (probe.Serialize().LongLength - _headerBytes + n - 1) / n;
        _bytesPerVector = Math.Max(1, perVector);
    }

    private void Seal(ShardRecord shard)
    {
        shard.Sealed = true;
        shard.Dirty = true;
        if (ReferenceEquals(shard, Current))
        {
            Current = null;
        }

        _logger.LogInformation("Shard {Name} is full: {Count} vectors", shard.Name, shard.NTotal);
    }

    /// <summary>Uploads every changed shard: its id-map segment, then the shard. Returns the shards uploaded.</summary>
    public async Task<int> UploadAsync(CancellationToken cancellationToken)
    {
        var uploads = 0;
        foreach (var shard in _shards)
        {
            if (!shard.Dirty)
            {
                continue;
            }

            var index = shard.Index ?? throw new InvalidOperationException($"Shard {shard.Name} changed but its index is closed.");
            var bytes = index.Serialize();
            var count = index.Count;
            if (count != shard.Ids.Count)
            {
                throw new ShardAlignmentException($"{shard.Name} holds {count} vectors but {shard.Ids.Count} ids; refusing to upload.");
            }

            if (bytes.LongLength > _options.MaxShardBytes)
            {
                throw new InvalidOperationException(
                    $"{shard.Name} serialised to {bytes.LongLength:N0} bytes, over MaxShardBytes ({_options.MaxShardBytes:N0}); the size estimate for '{_options.FactoryString}' was too low. Lower ItemsPerShard.");
            }

            var sha = ShardingJson.Sha256(bytes);
            var segment = new IdMapSegment
            {
                Shard = shard.Name,
                FirstLabel = shard.FirstLabel,
                Ids = shard.Ids,
                Brands = shard.Brands,
                Images = shard.Images,
            };

            // The segment first: a crash in between leaves more ids than vectors, which a resume truncates.
            await _store.PutAsync(
                shard.SegmentName,
                ShardingJson.Serialize(segment, compact: true),
                new ShardPutOptions { ContentType = "application/json", Mutable = !shard.Sealed },
                cancellationToken).ConfigureAwait(false);
            await _store.PutAsync(
                shard.Name,
                bytes,
                new ShardPutOptions
                {
                    ContentType = "application/octet-stream",
                    Mutable = !shard.Sealed,
                    Metadata = new Dictionary<string, string>
                    {
                        ["sha256"] = sha,
                        ["count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ["first-label"] = shard.FirstLabel.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                },
                cancellationToken).ConfigureAwait(false);

            shard.NTotal = count;
            shard.Entry = NewEntry(shard, count, bytes.LongLength, sha);
            shard.Dirty = false;
            ManifestDirty = true;
            uploads++;
            if (count > 0)
            {
                _bytesPerVector = Math.Max(_bytesPerVector, (bytes.LongLength - _headerBytes + count - 1) / count);
            }

            if (shard.Sealed)
            {
                shard.Index = null;
                index.Dispose();
            }
        }

        return uploads;
    }

    private ShardManifestEntry NewEntry(ShardRecord shard, long count, long bytes, string sha) => new()
    {
        Number = shard.Number,
        Name = shard.Name,
        IdMap = shard.SegmentName,
        Count = count,
        Bytes = bytes,
        Sha256 = sha,
        FirstLabel = shard.FirstLabel,
        LastLabel = shard.FirstLabel + count - 1,
        Dimension = Dimension,
        Metric = _options.Metric,
        Factory = _options.FactoryString,
        Sealed = shard.Sealed,
        Partition = _options.Partition?.ToString(),
    };

    public ShardManifest ToManifest() => new()
    {
        Model = Model,
        Type = Type,
        Dimension = Dimension,
        Metric = _options.Metric,
        Factory = _options.FactoryString,
        Count = _shards.Where(s => s.Entry is not null).Sum(s => s.Entry!.Count),
        Shards = _shards.Where(s => s.Entry is not null).Select(s => s.Entry!).ToArray(),
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public async Task WriteManifestAsync(CancellationToken cancellationToken)
    {
        await _store.PutAsync(
            ManifestName,
            ShardingJson.Serialize(ToManifest()),
            new ShardPutOptions { ContentType = "application/json", Mutable = true },
            cancellationToken).ConfigureAwait(false);
        ManifestDirty = false;
    }

    /// <summary>
    /// The assertion after every batch: the id map's count equals the sum of the shards' FAISS
    /// <c>ntotal</c>s and the manifest's counts, and labels run on without gaps.
    /// </summary>
    public void Verify()
    {
        long ids = 0;
        long ntotal = 0;
        long listed = 0;
        var expectedLabel = LabelBase;
        foreach (var shard in _shards)
        {
            ids += shard.Ids.Count;
            ntotal += shard.Index?.Count ?? shard.NTotal;
            listed += shard.Entry?.Count ?? 0;
            if (shard.FirstLabel != expectedLabel)
            {
                throw new ShardAlignmentException($"'{Type}': {shard.Name} starts at label {shard.FirstLabel}, expected {expectedLabel}.");
            }

            expectedLabel += shard.Ids.Count;
        }

        if (ids != ntotal || ids != listed || expectedLabel != NextLabel)
        {
            throw new ShardAlignmentException(
                $"'{Type}' is misaligned after a batch: id map {ids} ids, shards {ntotal} vectors (ntotal), manifest {listed}, next label {NextLabel} (expected {expectedLabel}). Stopping before anything else is written.");
        }
    }

    /// <summary>Every id with its brand, over all shards.</summary>
    public IEnumerable<(string Id, string? Brand)> Items()
    {
        foreach (var shard in _shards)
        {
            for (var i = 0; i < shard.Ids.Count; i++)
            {
                yield return (shard.Ids[i], shard.Brands[i]);
            }
        }
    }

    public void Dispose()
    {
        foreach (var shard in _shards)
        {
            shard.Index?.Dispose();
            shard.Index = null;
        }
    }

    /// <summary>One type in a store that does not exist yet: nothing to read or reconcile.</summary>
    public static TypeShardSet Empty(IShardStore store, string type, ShardedIndexOptions options, long labelBase, ILogger logger) =>
        new(store, type, options, labelBase, logger);

    /// <summary>
    /// Reads the store's state of one type and reconciles what a crashed run left: shards uploaded
    /// after the manifest was last written are adopted (their id-map segments are written first, so
    /// they name every vector), segments longer than their shards are truncated, segments without a
    /// shard are removed. What cannot be reconciled (a shard the manifest lists is missing, fewer
    /// vectors than the manifest records, duplicate ids) stops the build.
    /// </summary>
    public static async Task<TypeShardSet> LoadAsync(
        IShardStore store, string type, ShardedIndexOptions options, long labelBase, ILogger logger, List<string> repairs, CancellationToken cancellationToken)
    {
        var set = new TypeShardSet(store, type, options, labelBase, logger);
        try
        {
            await set.ReconcileAsync(repairs, cancellationToken).ConfigureAwait(false);
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    private async Task ReconcileAsync(List<string> repairs, CancellationToken cancellationToken)
    {
        var manifest = await ShardedStoreReader.ReadManifestAsync(_store, Model, Type, cancellationToken).ConfigureAwait(false);
        if (manifest is not null)
        {
            if (manifest.Merged)
            {
                throw new InvalidOperationException(
                    $"{_store.Location}{ManifestName} is the combined manifest of merged partitions; build with --partition into the partitions, or into another store.");
            }

            if (!string.Equals(manifest.Factory, _options.FactoryString, StringComparison.Ordinal) || manifest.Metric != _options.Metric)
            {
                throw new InvalidOperationException(
                    $"The '{Type}' index in {_store.Location} was built as '{manifest.Factory}' ({manifest.Metric}); this run asks for '{_options.FactoryString}' ({_options.Metric}).");
            }

            Dimension = manifest.Dimension;
        }

        var listed = new SortedDictionary<int, (ShardObjectInfo? Shard, ShardObjectInfo? Segment)>();
        await foreach (var info in _store.ListAsync($"{Model}_{Type}_shard_", cancellationToken).ConfigureAwait(false))
        {
            if (ShardStoreLayout.TryParseShardName(info.Name, Model, Type, out var number, out var isSegment))
            {
                listed.TryGetValue(number, out var pair);
                listed[number] = isSegment ? (pair.Shard, info) : (info, pair.Segment);
            }
        }

        var entries = manifest?.Shards.ToDictionary(e => e.Number) ?? [];
        var last = Math.Max(listed.Count == 0 ? 0 : listed.Keys.Max(), entries.Count == 0 ? 0 : entries.Keys.Max());
        var lastShard = Math.Max(listed.Where(p => p.Value.Shard is not null).Select(p => p.Key).DefaultIfEmpty().Max(), entries.Count == 0 ? 0 : entries.Keys.Max());
        var expectedLabel = LabelBase;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        byte[]? lastBytes = null;
        for (var number = 1; number <= last; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            listed.TryGetValue(number, out var objects);
            entries.TryGetValue(number, out var entry);
            var name = ShardStoreLayout.ShardName(Model, Type, number);
            if (objects.Shard is null)
            {
                if (entry is not null)
                {
                    throw new ShardAlignmentException($"{name} is listed in the manifest but missing from {_store.Location}; its vectors are lost. Run check-alignment, then rebuild the type.");
                }

                if (number != last)
                {
                    throw new ShardAlignmentException($"{name} is missing from {_store.Location} but later shards exist.");
                }

                if (objects.Segment is not null)
                {
                    // A crash between uploading a new shard's segment and the shard itself.
                    await _store.DeleteAsync(objects.Segment.Name, cancellationToken).ConfigureAwait(false);
                    repairs.Add($"removed {objects.Segment.Name}: an id-map segment whose shard was never uploaded");
                }

                break;
            }

            var trusted = entry is not null && entry.Sealed && objects.Shard.Length == entry.Bytes;
            byte[]? bytes = null;
            if (!trusted)
            {
                var blob = await _store.GetAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new ShardAlignmentException($"{name} disappeared from {_store.Location} while resuming.");
                bytes = blob.Content.ToArray();
                trusted = entry is not null && ShardingJson.Sha256(bytes) == entry.Sha256;
            }

            var segmentName = ShardStoreLayout.IdSegmentName(Model, Type, number);
            var segment = await ShardedStoreReader.ReadSegmentAsync(_store, segmentName, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardAlignmentException($"{name} has no id-map segment ({segmentName}); its vectors cannot be mapped to items.");

            long count;
            if (trusted)
            {
                count = entry!.Count;
            }
            else
            {
                // The store holds a newer shard than the manifest: uploaded just before a crash. Adopt it.
                using var index = Deserialize(bytes!, name);
                count = index.Count;
                if (entry is not null && count <= entry.Count)
                {
                    throw new ShardAlignmentException(
                        $"{name} does not match the manifest's checksum and holds {count} vectors (manifest: {entry.Count}); it is corrupt.");
                }

                if (index.Dimension != (Dimension == 0 ? index.Dimension : Dimension))
                {
                    throw new ShardAlignmentException($"{name} is {index.Dimension}-d; the '{Type}' index is {Dimension}-d.");
                }

                Dimension = index.Dimension;
                repairs.Add($"adopted {name}: {count} vectors (manifest: {entry?.Count ?? 0}) uploaded before the manifest was written");
                entry = null;
            }

            if (segment.Ids.Count < count)
            {
                throw new ShardAlignmentException($"{name} holds {count} vectors but its id-map segment names only {segment.Ids.Count}.");
            }

            if (segment.FirstLabel != expectedLabel)
            {
                throw new ShardAlignmentException($"{segmentName} starts at label {segment.FirstLabel}; expected {expectedLabel} (the previous shard's last label + 1).");
            }

            var record = new ShardRecord
            {
                Number = number,
                Name = name,
                SegmentName = segmentName,
                FirstLabel = segment.FirstLabel,
                NTotal = count,
                Sealed = number < lastShard || (entry?.Sealed ?? false),
            };
            for (var i = 0; i < count; i++)
            {
                if (!seen.Add(segment.Ids[i]))
                {
                    throw new ShardAlignmentException($"The item id '{segment.Ids[i]}' appears twice in the '{Type}' id map (again in {segmentName}).");
                }

                record.Ids.Add(segment.Ids[i]);
                record.Brands.Add(segment.Brands?[i]);
                record.Images.Add(segment.Images is { } images && i < images.Count ? images[i] : string.Empty);
            }

            if (segment.Ids.Count > count)
            {
                // A crash after the segment's upload, before the shard's: the extra ids were never indexed.
                await _store.PutAsync(
                    segmentName,
                    ShardingJson.Serialize(new IdMapSegment { Shard = name, FirstLabel = record.FirstLabel, Ids = record.Ids, Brands = record.Brands, Images = record.Images }, compact: true),
                    new ShardPutOptions { ContentType = "application/json", Mutable = true },
                    cancellationToken).ConfigureAwait(false);
                repairs.Add($"truncated {segmentName} from {segment.Ids.Count} to {count} ids (the rest were never indexed)");
            }

            record.Entry = entry is not null && entry.Sealed == record.Sealed
                ? entry
                : NewEntry(record, count, bytes?.LongLength ?? entry!.Bytes, bytes is null ? entry!.Sha256 : ShardingJson.Sha256(bytes));
            if (!ReferenceEquals(record.Entry, entry))
            {
                ManifestDirty = true;
            }

            _shards.Add(record);
            expectedLabel += count;
            lastBytes = bytes;
        }

        NextLabel = expectedLabel;
        await ReopenLastShardAsync(lastBytes, cancellationToken).ConfigureAwait(false);
        if (ManifestDirty)
        {
            await WriteManifestAsync(cancellationToken).ConfigureAwait(false);
            repairs.Add($"rewrote {ManifestName}");
        }
    }

    private async Task ReopenLastShardAsync(byte[]? bytes, CancellationToken cancellationToken)
    {
        if (_shards.Count == 0 || _shards[^1].Sealed)
        {
            return;
        }

        var last = _shards[^1];
        if (last.NTotal >= _options.ItemsPerShard)
        {
            last.Sealed = true;
            last.Entry = last.Entry! with { Sealed = true };
            ManifestDirty = true;
            return;
        }

        if (bytes is null)
        {
            var blob = await _store.GetAsync(last.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new ShardAlignmentException($"{last.Name} disappeared from {_store.Location} while resuming.");
            bytes = blob.Content.ToArray();
        }

        var index = Deserialize(bytes, last.Name);
        if (index.Count != last.NTotal)
        {
            index.Dispose();
            throw new ShardAlignmentException($"{last.Name} holds {index.Count} vectors; the manifest says {last.NTotal}.");
        }

        last.Index = index;
        Current = last;
        using (var empty = index.Clone())
        {
            empty.Reset();
            _headerBytes = empty.Serialize().LongLength;
        }

        _bytesPerVector = index.Count > 0 ? Math.Max(1, (bytes.LongLength - _headerBytes + index.Count - 1) / index.Count) : (long)Dimension * sizeof(float);
        if (index.Count >= MaxVectorsBySize)
        {
            Seal(last);
            last.Dirty = false;
            last.Entry = last.Entry! with { Sealed = true };
            last.Index = null;
            index.Dispose();
            ManifestDirty = true;
        }
    }

    private static FaissIndex Deserialize(byte[] bytes, string name)
    {
        try
        {
            return FaissIndex.Deserialize(bytes);
        }
        catch (FaissException e)
        {
            throw new ShardAlignmentException($"{name} is not a readable FAISS index: {e.Message}", e);
        }
    }
}
