using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// Verifies a sharded index against its id map: every shard's vector count equals its manifest
/// count and its id-map slice (plus its batch objects while it is open), no id appears twice, label
/// ranges are consistent, SHA-256 checksums match, progress.json claims nothing the store lacks,
/// every item of a given source is indexed exactly once or recorded as failed, and a random sample
/// of items, re-embedded, finds itself as nearest neighbour at similarity ~1 (distance ~0).
/// </summary>
/// <remarks>The checks run in stages: <see cref="ShardTypeChecker"/> (structure), <see cref="ProgressChecks"/>
/// (progress.json, the whole id map, the item source) and <see cref="SampleChecker"/> (re-embedding).</remarks>
public sealed class AlignmentChecker
{
    private readonly IShardStore _store;
    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly ILogger _logger;

    /// <summary>Creates a checker for <paramref name="store"/> (the root of a merged store, an unpartitioned store, or one partition's namespace) that reads shards with FAISS.</summary>
    /// <param name="store">The store.</param>
    /// <param name="logger">Logs each problem as it is found.</param>
    public AlignmentChecker(IShardStore store, ILogger<AlignmentChecker>? logger = null)
        : this(store, new FaissIndexBuilder(), logger)
    {
    }

    /// <summary>Creates a checker for <paramref name="store"/> that reads shards with <paramref name="indexBuilder"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="indexBuilder">Reads the shards' index objects.</param>
    /// <param name="logger">Logs each problem as it is found.</param>
    public AlignmentChecker(IShardStore store, IVectorIndexBuilder indexBuilder, ILogger<AlignmentChecker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(indexBuilder);
        _store = store;
        _indexBuilder = indexBuilder;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The embedders and decoder of the application (set by <see cref="ShardedImageIndexBuilderFactory.CreateAlignmentChecker"/>), used when the options name none and the store's model is theirs.</summary>
    internal RegisteredSampling? Sampling { get; init; }

    /// <summary>Runs the checks.</summary>
    /// <param name="options">Types, sample size, embedders; <see langword="null"/> for the structural checks only.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The report; <see cref="AlignmentReport.IsAligned"/> when no problem was found.</returns>
    public async Task<AlignmentReport> CheckAsync(AlignmentCheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AlignmentCheckOptions();
        var problems = new AlignmentProblems(_logger);
        BuildProgressDocument? progress = null;
        try
        {
            progress = await ShardedStoreReader.ReadProgressAsync(_store, cancellationToken).ConfigureAwait(false);
            if (progress is null)
            {
                problems.Warn($"{_store.Location} has no {ShardStoreLayout.ProgressName}; progress checks skipped.");
            }
        }
        catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.Corrupt)
        {
            problems.Add(AlignmentProblemKind.ProgressMismatch, null, ShardStoreLayout.ProgressName, $"{ShardStoreLayout.ProgressName} is unreadable ({e.Message}); progress checks skipped.");
        }

        // progress.json is read once: the model comes from it unless named (or it is missing or unreadable).
        var model = string.IsNullOrEmpty(options.Model)
            ? await ShardedStoreReader.ModelFromProgressAsync(_store, progress, cancellationToken).ConfigureAwait(false)
            : options.Model;

        var types = options.Types?.ToList() ?? await FindTypesAsync(model, progress, cancellationToken).ConfigureAwait(false);

        var failed = new Dictionary<string, FailedItem>(StringComparer.Ordinal);
        foreach (var failure in progress?.Failed ?? [])
        {
            failed[failure.Id] = failure;
        }

        var sourceItems = await ReadSourceAsync(options.Items, progress, cancellationToken).ConfigureAwait(false);
        var shardsChecked = 0;
        long vectors = 0;
        var samples = 0;
        var idSets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var structure = new ShardTypeChecker(_store, _indexBuilder, problems);
        foreach (var type in types)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var checkedType = await structure.CheckAsync(model, type, progress, cancellationToken).ConfigureAwait(false);
                if (checkedType is null)
                {
                    continue;
                }

                shardsChecked += checkedType.Manifest.Shards.Count;
                vectors += checkedType.Vectors;
                ProgressChecks.CheckProgress(type, progress, checkedType, failed, problems);
                await ProgressChecks.CheckWholeIdMapAsync(_store, model, type, checkedType, problems, cancellationToken).ConfigureAwait(false);
                ProgressChecks.CheckItems(type, sourceItems, checkedType, failed, problems);
                samples += await CheckSamplesAsync(model, type, checkedType, options, problems, cancellationToken).ConfigureAwait(false);
                idSets[type] = checkedType.Owner.Keys.ToHashSet(StringComparer.Ordinal);
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                // Whatever is missing or corrupt, the check ends with a report: the rest of this type is skipped.
                problems.Add(AlignmentProblemKind.UnreadableShard, type, null, $"'{type}' could not be checked to the end: {e.GetType().Name}: {e.Message}");
            }
        }

        // Types built together should hold the same items; after a crash they may differ until a resume.
        if (idSets.Count > 1)
        {
            var first = idSets.First();
            foreach (var (type, ids) in idSets.Skip(1))
            {
                if (!ids.SetEquals(first.Value))
                {
                    problems.Warn($"'{type}' and '{first.Key}' do not index the same items ({ids.Count} vs {first.Value.Count}); a resumed build aligns them.");
                }
            }
        }

        return new AlignmentReport
        {
            Store = _store.Location,
            Model = model,
            Types = types,
            Shards = shardsChecked,
            Vectors = vectors,
            SamplesChecked = samples,
            Problems = problems.ToList(),
            Warnings = problems.Warnings,
        };
    }

    private async Task<List<string>> FindTypesAsync(string model, BuildProgressDocument? progress, CancellationToken cancellationToken)
    {
        var types = new List<string>();
        await foreach (var (m, t) in ShardedStoreReader.FindManifestsAsync(_store, cancellationToken).ConfigureAwait(false))
        {
            if (m == model)
            {
                types.Add(t);
            }
        }

        foreach (var t in progress?.Types ?? [])
        {
            if (!types.Contains(t))
            {
                types.Add(t);
            }
        }

        return types;
    }

    private static async Task<List<ImageItem>?> ReadSourceAsync(IItemSource? items, BuildProgressDocument? progress, CancellationToken cancellationToken)
    {
        if (items is null)
        {
            return null;
        }

        var sourceItems = new List<ImageItem>();
        var source = progress?.Partition is { } p && ItemPartition.TryParse(p, out var partition) && partition.Count > 1
            ? new PartitionedItemSource(items, partition)
            : items;
        await foreach (var item in source.ReadAsync(null, cancellationToken).ConfigureAwait(false))
        {
            sourceItems.Add(item);
        }

        return sourceItems;
    }

    private async Task<int> CheckSamplesAsync(string model, string type, CheckedType checkedType, AlignmentCheckOptions options, AlignmentProblems problems, CancellationToken cancellationToken)
    {
        if (options.SampleSize <= 0 || checkedType.Loaded.Count == 0)
        {
            return 0;
        }

        IEmbeddingGenerator<RgbImage, Embedding<float>>? embedder = null;
        var decoder = options.Decoder;
        if (options.Embedders is not null)
        {
            options.Embedders.TryGetValue(type, out embedder);
        }
        else if (Sampling is { } sampling)
        {
            if (!string.Equals(sampling.Model, model, StringComparison.Ordinal))
            {
                problems.Warn($"'{type}': the store was built with the model '{model}' but this application embeds with '{sampling.Model}'; the re-embedding sample check was skipped.");
                return 0;
            }

            embedder = sampling.Embedder(type);
            decoder ??= sampling.Decoder;
        }

        if (embedder is null || decoder is null)
        {
            problems.Warn($"'{type}': no embedder or decoder given; the re-embedding sample check was skipped.");
            return 0;
        }

        // The loaded shards become one searchable index; the checked type still owns (and disposes) them.
        var index = new ShardedIndex(checkedType.Manifest, checkedType.Loaded, []);
        return await SampleChecker.CheckAsync(type, index, embedder, decoder, options, problems, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The application's embedders (by index type) and decoder, for the sample check.</summary>
    internal sealed record RegisteredSampling(string Model, IImageDecoder? Decoder, Func<string, IEmbeddingGenerator<RgbImage, Embedding<float>>?> Embedder);
}
