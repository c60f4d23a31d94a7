using System.Runtime.InteropServices;
using Tessera.Indexing.Faiss.Validation;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Interop.Faiss;

namespace Tessera.Indexing.Faiss;

/// <summary>
/// A genuine FAISS index (Debian's FAISS through the <c>libtessera_faiss</c> shim). Files it writes
/// are ordinary FAISS files: Python's <c>faiss.read_index</c> reads them, and it reads theirs.
/// </summary>
/// <remarks>
/// Searches (<c>Search</c>, <c>RangeSearch</c>) are safe to call from many threads at once.
/// Mutating calls (train, add, reset, merge, centroid setters) must not overlap any other call.
/// </remarks>
public sealed unsafe partial class FaissIndex : IVectorIndex
{
    private readonly FaissIndexHandle _handle;

    private FaissIndex(FaissIndexHandle handle, string? description)
    {
        _handle = handle;
        Dimension = FaissNative.IndexDimension(handle);
        Metric = (VectorMetric)FaissNative.IndexMetric(handle);
        Description = description;
    }

    /// <summary>Vector dimension.</summary>
    public int Dimension { get; }

    /// <summary>The metric.</summary>
    public VectorMetric Metric { get; }

    /// <summary>The factory string the index was created from; <see langword="null"/> for a loaded index.</summary>
    public string? Description { get; }

    /// <summary>Number of vectors held.</summary>
    public long Count => FaissNative.IndexCount(_handle);

    /// <summary>Whether the index is trained.</summary>
    public bool IsTrained => FaissNative.IndexIsTrained(_handle) != 0;

    /// <summary>Whether the index is, or wraps, an IVF index.</summary>
    public bool IsIvf => TryGetIvfInfo() is not null;

    /// <summary>The FAISS version the shim was built against.</summary>
    public static string FaissVersion
    {
        get
        {
            FaissNative.EnsureRegistered();
            return Marshal.PtrToStringUTF8((IntPtr)FaissNative.FaissVersion()) ?? "unknown";
        }
    }

    /// <summary>OpenMP threads FAISS uses. Setting it affects every index in the process.</summary>
    public static int MaxThreads
    {
        get
        {
            FaissNative.EnsureRegistered();
            return FaissNative.GetMaxThreads();
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            FaissNative.EnsureRegistered();
            FaissStatus.Check(FaissNative.SetNumThreads(value), "set_num_threads");
        }
    }

    /// <inheritdoc />
    public void Train(ReadOnlySpan<float> vectors)
    {
        var n = RowCount(vectors, nameof(vectors));
        if (n == 0)
        {
            throw new ArgumentException("Training needs at least one vector.", nameof(vectors));
        }

        fixed (float* x = vectors)
        {
            FaissStatus.Check(FaissNative.IndexTrain(_handle, n, x), "train");
        }
    }

    /// <inheritdoc />
    public void Add(ReadOnlySpan<float> vectors)
    {
        var n = RowCount(vectors, nameof(vectors));
        if (n == 0)
        {
            return;
        }

        fixed (float* x = vectors)
        {
            FaissStatus.Check(FaissNative.IndexAdd(_handle, n, x), "add");
        }
    }

    /// <inheritdoc />
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        var n = RowCount(vectors, nameof(vectors));
        if (ids.Length != n)
        {
            throw new ArgumentException($"Expected {n} ids (one per vector), got {ids.Length}.", nameof(ids));
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = vectors)
        fixed (long* i = ids)
        {
            FaissStatus.Check(FaissNative.IndexAddWithIds(_handle, n, x, i), "add_with_ids");
        }
    }

    /// <inheritdoc />
    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<long> labels, int nprobe = 0)
    {
        var n = RowCount(queries, nameof(queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nprobe);
        var needed = checked(n * k);
        if (distances.Length < needed || labels.Length < needed)
        {
            throw new ArgumentException($"The output spans need {needed} entries ({n} queries x k={k}).");
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = queries)
        fixed (float* d = distances)
        fixed (long* l = labels)
        {
            FaissStatus.Check(FaissNative.IndexSearch(_handle, n, x, k, nprobe, d, l), "search");
        }
    }

    /// <summary>k-nearest-neighbour search for one query.</summary>
    /// <param name="query">The query vector.</param>
    /// <param name="k">Neighbours wanted.</param>
    /// <param name="nprobe">IVF lists to visit for this call; 0 keeps the index's setting.</param>
    /// <returns>Up to <paramref name="k"/> hits, best first (missing neighbours are left out).</returns>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int nprobe = 0)
    {
        if (query.Length != Dimension)
        {
            throw new ArgumentException($"The query has {query.Length} values; the index dimension is {Dimension}.", nameof(query));
        }

        var distances = new float[k];
        var labels = new long[k];
        Search(query, k, distances, labels, nprobe);
        var found = 0;
        while (found < k && labels[found] >= 0)
        {
            found++;
        }

        var hits = new SearchHit[found];
        for (var i = 0; i < found; i++)
        {
            hits[i] = new SearchHit(labels[i], distances[i]);
        }

        return hits;
    }

    /// <inheritdoc />
    public RangeSearchResult RangeSearch(ReadOnlySpan<float> queries, float radius, int nprobe = 0)
    {
        var n = RowCount(queries, nameof(queries));
        ArgumentOutOfRangeException.ThrowIfNegative(nprobe);
        int status;
        FaissRangeResultHandle result;
        fixed (float* x = queries)
        {
            status = FaissNative.IndexRangeSearch(_handle, n, x, radius, nprobe, out result);
        }

        using (result)
        {
            FaissStatus.Check(status, "range_search");
            var limitsPtr = FaissNative.RangeResultLimits(result);
            var limits = new long[n + 1];
            for (var q = 0; q <= n; q++)
            {
                limits[q] = (long)limitsPtr[q];
            }

            var total = checked((int)limits[n]);
            var labels = new ReadOnlySpan<long>(FaissNative.RangeResultLabels(result), total).ToArray();
            var distances = new ReadOnlySpan<float>(FaissNative.RangeResultDistances(result), total).ToArray();
            return new RangeSearchResult(limits, labels, distances);
        }
    }

    /// <summary>Reconstructs the stored vector with internal position <paramref name="key"/> (where the index type supports it).</summary>
    /// <param name="key">The vector's position (its label for flat indexes).</param>
    /// <param name="destination">Output of <see cref="Dimension"/> floats.</param>
    public void Reconstruct(long key, Span<float> destination)
    {
        if (destination.Length < Dimension)
        {
            throw new ArgumentException($"The destination needs {Dimension} floats.", nameof(destination));
        }

        fixed (float* r = destination)
        {
            FaissStatus.Check(FaissNative.IndexReconstruct(_handle, key, r), "reconstruct");
        }
    }

    /// <inheritdoc />
    public void Reset() => FaissStatus.Check(FaissNative.IndexReset(_handle), "reset");

    /// <summary>Moves all vectors of <paramref name="other"/> into this IVF index (both must share their training); <paramref name="other"/> is left empty.</summary>
    /// <param name="other">Another bare IVF index trained identically.</param>
    /// <param name="addId">Added to the labels of the moved vectors.</param>
    public void MergeFrom(FaissIndex other, long addId = 0)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension)
        {
            throw new ArgumentException($"Cannot merge a {other.Dimension}-d index into a {Dimension}-d one.", nameof(other));
        }

        FaissStatus.Check(FaissNative.IndexMergeFrom(_handle, other._handle, addId), "merge_from");
    }

    /// <summary>A deep copy of the index.</summary>
    /// <returns>The copy.</returns>
    public FaissIndex Clone()
    {
        var status = FaissNative.IndexClone(out var handle, _handle);
        CheckAndDisposeOnFailure(status, handle, "clone_index");
        return new FaissIndex(handle, Description);
    }

    /// <inheritdoc />
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FaissStatus.Check(FaissNative.WriteIndexFile(_handle, path), "write_index");
    }

    /// <inheritdoc />
    public byte[] Serialize()
    {
        var status = FaissNative.WriteIndexBuffer(out var buffer, _handle);
        using (buffer)
        {
            FaissStatus.Check(status, "write_index");
            var size = checked((int)FaissNative.BufferSize(buffer));
            return new ReadOnlySpan<byte>(FaissNative.BufferData(buffer), size).ToArray();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    private int RowCount(ReadOnlySpan<float> vectors, string parameter)
    {
        if (vectors.Length % Dimension != 0)
        {
            throw new ArgumentException(
                $"Got {vectors.Length} values, which is not a whole number of {Dimension}-d vectors (the index dimension is {Dimension}).",
                parameter);
        }

        return vectors.Length / Dimension;
    }

    private int PqCodebookLength(FaissIvfInfo info)
    {
        if (!info.IsProductQuantized)
        {
            throw new FaissException(FaissErrorKind.NotSupported, "pq_centroids", "the index is not an IVF-PQ index");
        }

        return checked(info.PqCentroidsPerSubQuantizer * Dimension);
    }

    private static void ExpectLength(long actual, long expected, string parameter)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"Expected {expected} values, got {actual}.", parameter);
        }
    }

    private static FaissIndexOptions Resolve(FaissIndexOptions? options)
    {
        if (options is null)
        {
            return FaissIndexOptions.Default;
        }

        options.ThrowIfInvalid();
        return options;
    }

    private static IndexFactorySpec ParseFactory(int dimension, string factoryString, VectorMetric metric)
    {
        if (!IndexFactorySpec.TryParse(factoryString, out var spec, out var error))
        {
            throw new FaissException(FaissErrorKind.InvalidFactoryString, "index_factory", error);
        }

        var problem = spec.FindProblem(dimension, metric);
        if (problem is not null)
        {
            throw new FaissException(FaissErrorKind.InvalidFactoryString, "index_factory", problem);
        }

        return spec;
    }

    /// <summary>FAISS read what was validated: the same dimension, count and metric (else the bytes changed in between).</summary>
    private static FaissIndex Checked(FaissIndex index, FaissIndexSummary summary)
    {
        if (index.Dimension != summary.Dimension || index.Count != summary.Count || (int)index.Metric != summary.Metric)
        {
            var read = $"{index.Dimension}-d, {index.Count} vectors, metric {(int)index.Metric}";
            index.Dispose();
            throw new FaissException(
                FaissErrorKind.CorruptIndex,
                "read_index",
                $"corrupt index: FAISS read {read}, but the validated index was {summary.Dimension}-d, {summary.Count} vectors, metric {summary.Metric} (the file changed while being read)");
        }

        return index;
    }

    private static void CheckAndDisposeOnFailure(int status, FaissIndexHandle handle, string operation)
    {
        if (status != 0)
        {
            handle.Dispose();
            FaissStatus.Check(status, operation);
        }
    }
}
