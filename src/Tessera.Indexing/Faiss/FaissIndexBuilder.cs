using System.Diagnostics;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Faiss;

/// <summary>The native <see cref="IVectorIndexBuilder"/>: FAISS trains, encodes and stores.</summary>
public sealed class FaissIndexBuilder : IVectorIndexBuilder
{
    private const int AddChunk = 65_536;

    private readonly FaissIndexOptions? _options;

    /// <summary>Creates the builder with the default limits.</summary>
    public FaissIndexBuilder()
    {
    }

    /// <summary>Creates the builder with <paramref name="options"/> (the memory budget for creating and loading indexes).</summary>
    /// <param name="options">Limits; <see langword="null"/> uses the defaults.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public FaissIndexBuilder(FaissIndexOptions? options)
    {
        options?.ThrowIfInvalid();
        _options = options;
    }

    /// <summary>Creates the builder from configured options (<c>services.Configure&lt;FaissIndexOptions&gt;(…)</c>).</summary>
    /// <param name="options">Limits.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public FaissIndexBuilder(IOptions<FaissIndexOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
    }

    /// <inheritdoc />
    public IVectorIndex Create(VectorIndexSpec spec) => FaissIndex.Create(spec, _options);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) =>
        Train(index, vectors, null, cancellationToken);

    /// <inheritdoc />
    public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        index.Train(vectors);
        progress?.Report(new IndexBuildProgress(IndexBuildStage.NativeTraining, 1, 1, watch.Elapsed));
    }

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) =>
        Add(index, vectors, ids, null, cancellationToken);

    /// <inheritdoc />
    public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, IProgress<IndexBuildProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        var d = index.Dimension;
        var n = ids.Length;
        if (vectors.Length != (long)n * d)
        {
            throw new ArgumentException($"Expected {n} vectors of {d} values (one per id), got {vectors.Length} values.", nameof(vectors));
        }

        for (var start = 0; start < n; start += AddChunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var count = Math.Min(AddChunk, n - start);
            index.Add(vectors.Slice(start * d, count * d), ids.Slice(start, count));
            progress?.Report(new IndexBuildProgress(IndexBuildStage.NativeAdding, start + count, n, watch.Elapsed));
        }
    }

    /// <inheritdoc />
    public IVectorIndex Load(string path) => FaissIndex.Load(path, FaissIoFlags.None, _options);

    /// <inheritdoc />
    public IVectorIndex Load(string path, VectorIndexLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FaissIndex.Load(path, options.MemoryMap ? FaissIoFlags.MemoryMap | FaissIoFlags.ReadOnly : FaissIoFlags.None, _options);
    }

    /// <inheritdoc />
    public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => FaissIndex.Deserialize(data, _options);
}
