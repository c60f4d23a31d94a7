using Microsoft.Extensions.Logging;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// What a build knows about its store namespace: every type's shards, which items are indexed in
/// which types, failures, per-brand counts; and the commit after each batch (whole shards or batch
/// objects, then manifests, then progress.json, then the deletion of superseded batch objects, then
/// the alignment assertion).
/// </summary>
internal sealed class ShardedBuildState : IDisposable
{
    private readonly IShardStore _store;
    private readonly ShardedIndexOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ItemMark> _marks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FailedItem> _failed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _brands = new(StringComparer.Ordinal);
    private readonly BuildProgressDocument? _previous;
    private readonly DateTimeOffset _startedAt;
    private bool _began;
    private long _complete;
    private string? _lastId;
    private string? _source;

    private ShardedBuildState(IShardStore store, ShardedIndexOptions options, IReadOnlyList<string> types, TypeShardSet[] sets, BuildProgressDocument? previous, List<string> repairs, ILogger logger)
    {
        _store = store;
        _options = options;
        _logger = logger;
        Types = types;
        Sets = sets;
        _previous = previous;
        Repairs = repairs;
        FullMask = types.Count == 32 ? uint.MaxValue : (1u << types.Count) - 1;
        _startedAt = previous?.StartedAt ?? DateTimeOffset.UtcNow;
        Runs = (previous?.Runs ?? 0) + 1;

        for (var t = 0; t < sets.Length; t++)
        {
            foreach (var (id, brand) in sets[t].Items())
            {
                _marks.TryGetValue(id, out var mark);
                _marks[id] = new ItemMark(mark.Mask | (1u << t), mark.Brand ?? brand);
            }
        }

        foreach (var (_, mark) in _marks)
        {
            if (mark.Mask == FullMask)
            {
                _complete++;
                CountBrand(mark.Brand);
            }
        }

        foreach (var failure in previous?.Failed ?? [])
        {
            if (!_marks.TryGetValue(failure.Id, out var mark) || mark.Mask != FullMask)
            {
                _failed[failure.Id] = failure;
            }
        }

        _lastId = previous?.Checkpoint.LastId;
    }

    public IReadOnlyList<string> Types { get; }

    public TypeShardSet[] Sets { get; }

    public uint FullMask { get; }

    public IReadOnlyList<string> Repairs { get; }

    public int Runs { get; }

    public long FailedCount => _failed.Count;

    public IReadOnlyDictionary<string, long> Brands => _brands;

    public static async Task<ShardedBuildState> LoadAsync(
        IShardStore store, IReadOnlyList<string> types, ShardedIndexOptions options, IVectorIndexBuilder indexBuilder, ILogger logger, CancellationToken cancellationToken)
    {
        if (types.Count is 0 or > 32)
        {
            throw new ArgumentException("Build between 1 and 32 index types at once.", nameof(types));
        }

        BuildProgressDocument? previous;
        var storeExists = true;
        try
        {
            previous = await ShardedStoreReader.ReadProgressAsync(store, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.StoreNotFound)
        {
            // A store that does not exist yet (a bucket its first upload creates) holds nothing to resume.
            logger.LogInformation("{Store} does not exist yet; building from nothing ({Reason})", store.Location, e.Message);
            previous = null;
            storeExists = false;
        }

        if (previous is not null)
        {
            if (previous.Merged)
            {
                throw new InvalidOperationException(
                    $"{store.Location} holds the merged view of partitions ({string.Join(", ", previous.Partitions ?? [])}); build with --partition, or into another store.");
            }

            if (!string.Equals(previous.Model, options.ModelName, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{store.Location} was built with the model '{previous.Model}'; this run's model is '{options.ModelName}'. Use another store (or prefix) per model.");
            }

            if (!string.Equals(previous.Partition, options.Partition?.ToString(), StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{store.Location} holds partition '{previous.Partition ?? "none"}'; this run builds '{options.Partition?.ToString() ?? "none"}'.");
            }
        }

        var repairs = new List<string>();
        var sets = new TypeShardSet[types.Count];
        try
        {
            for (var t = 0; t < types.Count; t++)
            {
                sets[t] = storeExists
                    ? await TypeShardSet.LoadAsync(store, types[t], options, indexBuilder, ShardStoreLayout.LabelBase(options.Partition), logger, repairs, cancellationToken).ConfigureAwait(false)
                    : TypeShardSet.Empty(store, types[t], options, indexBuilder, ShardStoreLayout.LabelBase(options.Partition), logger);
            }
        }
        catch
        {
            foreach (var set in sets)
            {
                set?.Dispose();
            }

            throw;
        }

        foreach (var repair in repairs)
        {
            logger.LogWarning("Resume reconciled {Store}: {Repair}", store.Location, repair);
        }

        return new ShardedBuildState(store, options, types, sets, previous, repairs, logger);
    }

    /// <summary>The types (as bits) <paramref name="id"/> still lacks; 0 when it is done.</summary>
    public uint Needed(string id) => _marks.TryGetValue(id, out var mark) ? FullMask & ~mark.Mask : FullMask;

    public bool IsFailed(string id) => _failed.ContainsKey(id);

    public string Source
    {
        set => _source = value;
    }

    /// <summary>
    /// Commits a batch: uploads the changed shards (whole, each after its id-map segment, or as
    /// batch objects, each after its ids), then the manifests, then progress.json, then deletes the
    /// batch objects whole uploads superseded, then asserts that every type's id map and shards agree.
    /// </summary>
    /// <returns>Objects holding vectors uploaded (index and batch objects).</returns>
    public async Task<int> CommitAsync(IReadOnlyList<(ImageItem Item, uint Added)> indexed, IReadOnlyList<FailedItem> failures, string? lastId, CancellationToken cancellationToken)
    {
        if (!_began)
        {
            // The whole-map files describe the last completed run; they are rewritten when this one completes.
            foreach (var set in Sets)
            {
                await _store.DeleteAsync(ShardStoreLayout.IdMapName(set.Model, set.Type), cancellationToken).ConfigureAwait(false);
            }

            _began = true;
        }

        var uploads = await UploadAndListAsync(finishing: false, cancellationToken).ConfigureAwait(false);

        foreach (var (item, added) in indexed)
        {
            _marks.TryGetValue(item.Id, out var mark);
            var updated = new ItemMark(mark.Mask | added, mark.Brand ?? item.Brand);
            _marks[item.Id] = updated;
            if (mark.Mask != FullMask && updated.Mask == FullMask)
            {
                _complete++;
                CountBrand(updated.Brand);
                _failed.Remove(item.Id);
            }
        }

        foreach (var failure in failures)
        {
            _failed[failure.Id] = failure;
        }

        _lastId = lastId ?? _lastId;
        await WriteProgressAsync(completed: false, cancellationToken).ConfigureAwait(false);
        foreach (var set in Sets)
        {
            await set.Committer.DeleteSupersededAsync(cancellationToken).ConfigureAwait(false);
            set.Verify();
        }

        return uploads;
    }

    /// <summary>
    /// Uploads every open shard that has batch objects whole (so a finished store holds only whole
    /// shards), then writes the whole id map of every type and progress.json marked completed.
    /// </summary>
    /// <returns>Objects holding vectors uploaded.</returns>
    public async Task<int> FinishAsync(CancellationToken cancellationToken)
    {
        var uploads = await UploadAndListAsync(finishing: true, cancellationToken).ConfigureAwait(false);
        foreach (var set in Sets)
        {
            set.Verify();
            var bytes = IdMapWriter.Write(set.Model, set.Type, set.Count, Entries(set));
            await _store.PutAsync(
                ShardStoreLayout.IdMapName(set.Model, set.Type),
                bytes,
                new ShardPutOptions { ContentType = "application/json", Mutable = true },
                cancellationToken).ConfigureAwait(false);
        }

        await WriteProgressAsync(completed: true, cancellationToken).ConfigureAwait(false);
        foreach (var set in Sets)
        {
            await set.Committer.DeleteSupersededAsync(cancellationToken).ConfigureAwait(false);
        }

        return uploads;
    }

    private async Task<int> UploadAndListAsync(bool finishing, CancellationToken cancellationToken)
    {
        var uploads = 0;
        foreach (var set in Sets)
        {
            uploads += await set.Committer.UploadAsync(finishing, cancellationToken).ConfigureAwait(false);
        }

        foreach (var set in Sets)
        {
            if (set.ManifestDirty)
            {
                await set.Committer.WriteManifestAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return uploads;
    }

    private static IEnumerable<(long, string)> Entries(TypeShardSet set)
    {
        foreach (var shard in set.Shards)
        {
            for (var i = 0; i < shard.Ids.Count; i++)
            {
                yield return (shard.FirstLabel + i, shard.Ids[i]);
            }
        }
    }

    public int ShardCount => Sets.Sum(s => s.Shards.Count);

    private async Task WriteProgressAsync(bool completed, CancellationToken cancellationToken)
    {
        var types = (_previous?.Types ?? []).Concat(Types).Distinct(StringComparer.Ordinal).ToArray();
        var indexed = new Dictionary<string, long>(_previous?.Indexed ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        var shards = new Dictionary<string, ShardCounters>(_previous?.Shards ?? new Dictionary<string, ShardCounters>(), StringComparer.Ordinal);
        foreach (var set in Sets)
        {
            indexed[set.Type] = set.Count;
            shards[set.Type] = new ShardCounters
            {
                Shards = set.Shards.Count,
                Sealed = set.Shards.Count(s => s.Sealed),
                Vectors = set.Count,
                Bytes = set.Shards.Sum(s => s.Entry?.Bytes ?? 0),
                NextLabel = set.NextLabel,
            };
        }

        var now = DateTimeOffset.UtcNow;
        var document = new BuildProgressDocument
        {
            Model = _options.ModelName,
            Types = types,
            Factory = _options.FactoryString,
            Metric = _options.Metric,
            Partition = _options.Partition?.ToString(),
            LabelBase = ShardStoreLayout.LabelBase(_options.Partition),
            Source = _source ?? _previous?.Source,
            Completed = completed,
            Runs = Runs,
            StartedAt = _startedAt,
            UpdatedAt = now,
            Checkpoint = new ProgressCheckpoint
            {
                LastId = _lastId,
                Processed = _complete + _failed.Count,
                Indexed = _complete,
                Failed = _failed.Count,
            },
            Indexed = indexed,
            Brands = new SortedDictionary<string, long>(_brands, StringComparer.Ordinal),
            Shards = shards,
            Failed = _failed.Values.ToArray(),
        };
        await _store.PutAsync(
            ShardStoreLayout.ProgressName,
            ShardingJson.Serialize(document),
            new ShardPutOptions { ContentType = "application/json", Mutable = true },
            cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Progress: {Indexed} indexed, {Failed} failed, last id {LastId}", _complete, _failed.Count, _lastId);
    }

    private void CountBrand(string? brand)
    {
        var key = string.IsNullOrEmpty(brand) ? BuildProgressDocument.NoBrand : brand;
        _brands[key] = _brands.GetValueOrDefault(key) + 1;
    }

    public void Dispose()
    {
        foreach (var set in Sets)
        {
            set.Dispose();
        }
    }

    private readonly record struct ItemMark(uint Mask, string? Brand);
}
