using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Clustering;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Quantization;

/// <summary>
/// An <see cref="IVectorIndexBuilder"/> that trains and encodes IVF-Flat and IVF-PQ indexes in
/// managed SIMD code and hands the result to FAISS, so the file is an ordinary FAISS index (Python's
/// <c>faiss.read_index</c> reads it). Every other index is built by FAISS itself.
/// </summary>
/// <remarks>
/// <para>Handled here: indexes created from the factory strings <c>IVF{nlist},Flat</c> and
/// <c>IVF{nlist},PQ{M}[x{bits}][np]</c> (any metric). Training follows FAISS 1.7.3's
/// <c>IndexIVFPQ::train</c>: k-means of the coarse quantizer (10 iterations; spherical for inner
/// product), then a subset of at most <c>256 * 2^bits</c> training vectors drawn with FAISS's seeded
/// permutation, their residuals to the nearest coarse centroid, and one k-means per PQ sub-space
/// (25 iterations), all with FAISS's seeds, initialisation and empty-cluster splitting
/// (<see cref="KMeans"/>). The centroids and codebooks are loaded into the FAISS index, which is
/// then marked trained. Adding assigns each vector to its nearest coarse centroid, encodes the
/// residual per sub-space exactly as FAISS would, and appends the codes with their ids.</para>
/// <para>Polysemous training (factory strings without <c>np</c>) is not reproduced: the codebooks are
/// trained the same way, but their centroid numbers are not re-ordered for Hamming-distance
/// filtering. Ordinary (ADC) search, the only kind Tessera uses, is unaffected; a warning is logged.
/// Use <c>np</c>, or <see cref="FaissIndexBuilder"/>, when polysemous search is wanted.</para>
/// </remarks>
public sealed class ManagedIvfIndexBuilder : IVectorIndexBuilder
{
    private readonly ManagedIvfIndexBuilderOptions _options;
    private readonly ILogger _logger;
    private readonly FaissIndexOptions? _faissOptions;
    private readonly FaissIndexBuilder _native;
    private readonly ConditionalWeakTable<FaissIndex, TrainedIvf> _trained = [];

    /// <summary>Creates the builder.</summary>
    /// <param name="options">Settings; <see langword="null"/> uses the defaults.</param>
    /// <param name="logger">Receives training summaries and warnings.</param>
    /// <param name="faissOptions">Limits applied when creating and loading indexes (the memory budget); <see langword="null"/> uses the defaults.</param>
    public ManagedIvfIndexBuilder(ManagedIvfIndexBuilderOptions? options = null, ILogger<ManagedIvfIndexBuilder>? logger = null, FaissIndexOptions? faissOptions = null)
    {
        faissOptions?.ThrowIfInvalid();
        _faissOptions = faissOptions;
        _native = new FaissIndexBuilder(faissOptions);
        _options = options ?? new ManagedIvfIndexBuilderOptions();
        var problem = _options.Validate();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public IVectorIndex Create(VectorIndexSpec spec) => FaissIndex.Create(spec, _faissOptions);

    /// <summary>Whether this builder trains and encodes <paramref name="index"/> itself; otherwise FAISS does.</summary>
    /// <param name="index">An index created by <see cref="Create"/>.</param>
    /// <returns><see langword="true"/> for bare IVF-Flat and IVF-PQ indexes made from a plain factory string.</returns>
    public bool BuildsManaged(IVectorIndex index) => TryDescribe(index, out _, out _, out _);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) =>
        Train(index, vectors, null, cancellationToken);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!TryDescribe(index, out var faiss, out var plan, out var info))
        {
            _logger.LogDebug("Index {Description} is not a plain IVF-Flat/IVF-PQ index; FAISS trains it", (index as FaissIndex)?.Description);
            _native.Train(index, vectors, progress, cancellationToken);
            return;
        }

        var d = faiss.Dimension;
        if (vectors.Length == 0 || vectors.Length % d != 0)
        {
            throw new ArgumentException($"Training needs a whole, non-zero number of {d}-d vectors; got {vectors.Length} values.", nameof(vectors));
        }

        if (faiss.Count > 0)
        {
            throw new InvalidOperationException("The index already holds vectors; train a new index instead.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var n = vectors.Length / d;
        RefuseAsFaissWould(vectors, n, plan);
        var dop = _options.ResolveDegreeOfParallelism();
        var total = Stopwatch.StartNew();

        var coarseOptions = KMeansOptions.CoarseQuantizer(faiss.Metric);
        coarseOptions.MaxDegreeOfParallelism = dop;
        var coarseProgress = new IterationProgress(progress, coarseOptions.Iterations);
        var coarse = KMeans.Train(vectors, d, plan.NList, coarseOptions, coarseProgress, _logger, cancellationToken);
        var coarseTime = total.Elapsed;
        var search = new NearestCentroidSearch(coarse.Centroids, d, faiss.Metric, Simd.Best);

        ProductQuantizer? pq = null;
        if (plan.Encoding != IndexEncoding.Flat)
        {
            var residualWatch = Stopwatch.StartNew();
            var pqOptions = new KMeansOptions { MaxDegreeOfParallelism = dop };
            var trainingSet = PqTrainingSet(vectors, d, n, (1 << plan.PqBitsPerCode) * pqOptions.MaxPointsPerCentroid, pqOptions.Seed, search, info.ByResidual, dop);
            progress?.Report(new IndexBuildProgress(IndexBuildStage.Residuals, 1, 1, residualWatch.Elapsed));
            cancellationToken.ThrowIfCancellationRequested();

            var pqProgress = new SubspaceProgress(progress, plan.PqSubQuantizers);
            pq = ProductQuantizer.Train(trainingSet, d, plan.PqSubQuantizers, plan.PqBitsPerCode, pqOptions, pqProgress, _logger, cancellationToken);
            if (plan.PqPolysemousTraining)
            {
                _logger.LogWarning(
                    "{Factory} asks for polysemous training; the managed builder trains the same PQ codebooks without re-ordering their centroids for Hamming filtering. Ordinary search is unaffected; use 'np' or the FAISS builder if you need polysemous search",
                    faiss.Description);
            }
        }

        faiss.SetCoarseCentroids(coarse.Centroids);
        if (pq is not null)
        {
            faiss.SetPqCodebooks(pq.Codebooks);
        }

        faiss.MarkTrained();
        _trained.AddOrUpdate(faiss, new TrainedIvf(search, pq, info.ByResidual));
        _logger.LogInformation(
            "Trained {Factory} on {Vectors} vectors in {Seconds:F2} s (coarse k-means {Coarse:F2} s, {Simd}, {Threads} threads)",
            faiss.Description, n, total.Elapsed.TotalSeconds, coarseTime.TotalSeconds, Simd.Describe(Simd.Best), dop);
    }

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) =>
        Add(index, vectors, ids, null, cancellationToken);

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!TryDescribe(index, out var faiss, out _, out var info) || !faiss.IsTrained)
        {
            _native.Add(index, vectors, ids, progress, cancellationToken);
            return;
        }

        var d = faiss.Dimension;
        var n = ids.Length;
        if (vectors.Length != (long)n * d)
        {
            throw new ArgumentException($"Expected {n} vectors of {d} values (one per id), got {vectors.Length} values.", nameof(vectors));
        }

        var state = _trained.GetValue(faiss, f => TrainedIvf.FromIndex(f, info));
        var dop = _options.ResolveDegreeOfParallelism();
        var batch = Math.Min(_options.AddBatchSize, Math.Max(n, 1));
        var codeSize = info.CodeSize;
        var labels = ArrayPool<int>.Shared.Rent(batch);
        var lists = ArrayPool<long>.Shared.Rent(batch);
        var codes = state.Pq is null ? null : ArrayPool<byte>.Shared.Rent(batch * codeSize);
        var residuals = state.Pq is not null && state.ByResidual ? ArrayPool<float>.Shared.Rent(batch * d) : null;
        try
        {
            for (var start = 0; start < n; start += batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batch, n - start);
                var chunk = vectors.Slice(start * d, count * d);
                var watch = Stopwatch.StartNew();
                state.Coarse.Search(chunk, labels.AsSpan(0, count), [], dop);
                ReadOnlySpan<byte> chunkCodes;
                if (state.Pq is null)
                {
                    chunkCodes = MemoryMarshal.AsBytes(chunk);
                }
                else
                {
                    var toEncode = chunk;
                    if (residuals is not null)
                    {
                        ComputeResiduals(chunk, labels.AsSpan(0, count), state.Coarse.Centroids, d, residuals.AsSpan(0, count * d));
                        toEncode = residuals.AsSpan(0, count * d);
                    }

                    state.Pq.Encode(toEncode, codes.AsSpan(0, count * codeSize), dop);
                    chunkCodes = codes.AsSpan(0, count * codeSize);
                }

                for (var i = 0; i < count; i++)
                {
                    lists[i] = labels[i];
                }

                progress?.Report(new IndexBuildProgress(IndexBuildStage.Encoding, start + count, n, watch.Elapsed));
                watch.Restart();
                faiss.AddPreEncoded(lists.AsSpan(0, count), chunkCodes, ids.Slice(start, count));
                progress?.Report(new IndexBuildProgress(IndexBuildStage.ListFilling, start + count, n, watch.Elapsed));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(labels);
            ArrayPool<long>.Shared.Return(lists);
            if (codes is not null)
            {
                ArrayPool<byte>.Shared.Return(codes);
            }

            if (residuals is not null)
            {
                ArrayPool<float>.Shared.Return(residuals);
            }
        }
    }

    /// <inheritdoc />
    public IVectorIndex Load(string path) => FaissIndex.Load(path, FaissIoFlags.None, _faissOptions);

    /// <inheritdoc />
    public IVectorIndex Load(string path, VectorIndexLoadOptions options) => _native.Load(path, options);

    /// <inheritdoc />
    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => FaissIndex.Deserialize(data, _faissOptions);

    /// <summary>
    /// Fails where FAISS's own training would, with FAISS's message and exception type, so the two
    /// builders are interchangeable for callers that handle <see cref="FaissException"/>.
    /// </summary>
    private static void RefuseAsFaissWould(ReadOnlySpan<float> vectors, int n, IndexFactorySpec plan)
    {
        var clusters = plan.Encoding == IndexEncoding.Flat ? plan.NList : Math.Max(plan.NList, 1 << plan.PqBitsPerCode);
        if (n < clusters)
        {
            throw new FaissException(
                FaissErrorKind.Faiss,
                "train",
                $"Number of training points ({n}) should be at least as large as number of clusters ({clusters})");
        }

        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll(vectors))
        {
            throw new FaissException(FaissErrorKind.Faiss, "train", "input contains NaN's or Inf's");
        }
    }

    /// <summary>
    /// FAISS's <c>IndexIVFPQ::train_residual</c> input: at most <paramref name="max"/> vectors
    /// (<c>fvecs_maybe_subsample</c> with the PQ seed), as residuals to their coarse centroid when
    /// the index encodes residuals.
    /// </summary>
    private static float[] PqTrainingSet(
        ReadOnlySpan<float> vectors, int d, int n, int max, long seed, NearestCentroidSearch coarse, bool byResidual, int dop)
    {
        float[] set;
        if (n > max)
        {
            var perm = FaissRandomGenerator.Permutation(n, seed);
            set = GC.AllocateUninitializedArray<float>(max * d);
            for (var i = 0; i < max; i++)
            {
                vectors.Slice(perm[i] * d, d).CopyTo(set.AsSpan(i * d, d));
            }

            n = max;
        }
        else
        {
            set = vectors.ToArray();
        }

        if (byResidual)
        {
            var labels = new int[n];
            coarse.Search(set, labels, [], dop);
            ComputeResiduals(set, labels, coarse.Centroids, d, set);
        }

        return set;
    }

    /// <summary><c>residual = x - centroid[label]</c>, row by row (FAISS's <c>compute_residual</c>); <paramref name="residuals"/> may alias <paramref name="vectors"/>.</summary>
    private static void ComputeResiduals(ReadOnlySpan<float> vectors, ReadOnlySpan<int> labels, ReadOnlySpan<float> centroids, int d, Span<float> residuals)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Subtract(vectors.Slice(i * d, d), centroids.Slice(labels[i] * d, d), residuals.Slice(i * d, d));
        }
    }

    private static bool TryDescribe(IVectorIndex index, out FaissIndex faiss, out IndexFactorySpec plan, out FaissIvfInfo info)
    {
        faiss = null!;
        plan = null!;
        info = null!;
        if (index is not FaissIndex f || !IsPlainIvf(f.Description, out var p) || f.TryGetIvfInfo() is not { } i)
        {
            return false;
        }

        var consistent = i.IsBare && i.NList == p.NList && (p.Encoding == IndexEncoding.Flat
            ? !i.IsProductQuantized && i.CodeSize == f.Dimension * sizeof(float)
            : i.IsProductQuantized && i.PqSubQuantizers == p.PqSubQuantizers && i.PqBitsPerCode == p.PqBitsPerCode);
        if (!consistent)
        {
            return false;
        }

        faiss = f;
        plan = p;
        info = i;
        return true;
    }

    /// <summary>
    /// The factory strings trained here: <c>IVF{nlist},Flat</c> and <c>IVF{nlist},PQ{M}[x{bits}][np]</c>
    /// with a flat coarse quantizer. Pre-transforms, id maps, HNSW coarse quantizers, fast-scan and
    /// scalar quantizers are left to FAISS.
    /// </summary>
    private static bool IsPlainIvf(string? description, out IndexFactorySpec spec)
    {
        spec = null!;
        if (!IndexFactorySpec.TryParse(description, out var parsed)
            || parsed.Structure != IndexStructure.InvertedFile
            || parsed.IdMap != IndexIdMapKind.None
            || parsed.Transforms.Count != 0
            || parsed.CoarseQuantizerHnswNeighbors != 0
            || parsed.Encoding is not (IndexEncoding.Flat or IndexEncoding.ProductQuantizer)
            || parsed.PqFastScan)
        {
            return false;
        }

        spec = parsed;
        return true;
    }

    /// <summary>What Add needs: the coarse search and, for IVF-PQ, the product quantizer.</summary>
    private sealed record TrainedIvf(NearestCentroidSearch Coarse, ProductQuantizer? Pq, bool ByResidual)
    {
        /// <summary>For an index trained elsewhere (by FAISS): read its centroids and codebooks back.</summary>
        public static TrainedIvf FromIndex(FaissIndex index, FaissIvfInfo info)
        {
            var coarse = new NearestCentroidSearch(index.GetCoarseCentroids(), index.Dimension, index.Metric, Simd.Best);
            var pq = info.IsProductQuantized
                ? new ProductQuantizer(index.Dimension, info.PqSubQuantizers, info.PqBitsPerCode, index.GetPqCodebooks())
                : null;
            return new TrainedIvf(coarse, pq, info.ByResidual);
        }
    }

    /// <summary>Turns k-means iteration statistics into coarse-quantizer progress (with per-iteration time).</summary>
    private sealed class IterationProgress(IProgress<IndexBuildProgress>? target, int iterations) : IProgress<KMeansIterationStats>
    {
        private TimeSpan _last;

        public void Report(KMeansIterationStats value)
        {
            var step = value.Elapsed - _last;
            _last = value.Elapsed;
            target?.Report(new IndexBuildProgress(IndexBuildStage.CoarseQuantizer, value.Iteration + 1, iterations, step));
        }
    }

    /// <summary>Turns finished PQ sub-spaces into progress; sub-spaces finish on several threads.</summary>
    private sealed class SubspaceProgress(IProgress<IndexBuildProgress>? target, int subspaces) : IProgress<int>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Lock _lock = new();
        private TimeSpan _last;

        public void Report(int value)
        {
            lock (_lock)
            {
                var now = _watch.Elapsed;
                target?.Report(new IndexBuildProgress(IndexBuildStage.ProductQuantizer, value, subspaces, now - _last));
                _last = now;
            }
        }
    }
}
