using System.Runtime.CompilerServices;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.FlatIndexes;

/// <summary>
/// An exact (brute-force) index held in managed memory: every query is compared with every vector
/// by the SIMD kernels of <see cref="DistanceKernels"/>. It is the managed twin of FAISS's
/// <c>IndexFlatL2</c> / <c>IndexFlatIP</c>: the same results (squared L2 distances, or inner
/// products, best first, ties to the lower label) and the same file format, so
/// <see cref="Save"/> and <see cref="Serialize"/> write files that FAISS and Python's
/// <c>faiss.read_index</c> read, and <see cref="Load"/> / <see cref="Deserialize"/> read theirs.
/// </summary>
/// <remarks>
/// <para>Vectors are labelled by position (0, 1, 2, … in the order they were added), as in FAISS's
/// flat index; <see cref="Add(ReadOnlySpan{float}, ReadOnlySpan{long})"/> with other labels is not
/// supported. There is nothing to train.</para>
/// <para>Searches may run from many threads at once, also while vectors are being added (a search
/// sees the vectors present when it started). <see cref="Add(ReadOnlySpan{float})"/> calls are
/// serialised with each other; <see cref="Reset"/> and <see cref="Dispose"/> must not overlap a search.</para>
/// </remarks>
[SkipLocalsInit]
public sealed unsafe class ManagedFlatIndex : IVectorIndex
{
    private const int InitialCapacityRows = 64;
    private readonly Lock _writeLock = new();
    private Snapshot _snapshot = new([], 0);
    private bool _disposed;

    /// <summary>Creates an empty index.</summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="metric">The metric.</param>
    public ManagedFlatIndex(int dimension, VectorMetric metric = VectorMetric.L2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        }

        Dimension = dimension;
        Metric = metric;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long Count
    {
        get
        {
            ThrowIfDisposed();
            return Volatile.Read(ref _snapshot).Count;
        }
    }

    /// <summary>Always <see langword="true"/>: a flat index needs no training.</summary>
    public bool IsTrained => true;

    /// <inheritdoc />
    public VectorMetric Metric { get; }

    /// <summary>The size of <see cref="Serialize"/>'s output: 45 header bytes and 4 bytes per value.</summary>
    public long SerializedSize => FaissFlatFormat.SizeOf(Dimension, Count);

    /// <summary>Reads a FAISS flat index file (<c>IndexFlatL2</c>, <c>IndexFlatIP</c>), written by FAISS, Python or <see cref="Save"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The index.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a FAISS flat index of the L2 or inner-product metric.</exception>
    public static ManagedFlatIndex Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Index file '{path}' does not exist.", path);
        }

        try
        {
            return Deserialize(File.ReadAllBytes(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads an index from the bytes of a FAISS flat index file.</summary>
    /// <param name="data">The bytes, as <see cref="Serialize"/> or FAISS's <c>serialize_index</c> wrote them.</param>
    /// <returns>The index.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a FAISS flat index of the L2 or inner-product metric.</exception>
    public static ManagedFlatIndex Deserialize(ReadOnlySpan<byte> data)
    {
        var (dimension, metric, count, vectors) = FaissFlatFormat.Read(data);
        var index = new ManagedFlatIndex(dimension, metric);
        index._snapshot = new Snapshot(vectors, count);
        return index;
    }

    /// <summary>Checks the shape of <paramref name="vectors"/>; a flat index has nothing to learn.</summary>
    /// <param name="vectors">Training vectors, row-major: at least one, as every index type asks.</param>
    public void Train(ReadOnlySpan<float> vectors)
    {
        ThrowIfDisposed();
        if (RowCount(vectors, nameof(vectors)) == 0)
        {
            throw new ArgumentException("Training needs at least one vector.", nameof(vectors));
        }
    }

    /// <inheritdoc />
    public void Add(ReadOnlySpan<float> vectors)
    {
        ThrowIfDisposed();
        var n = RowCount(vectors, nameof(vectors));
        if (n == 0)
        {
            return;
        }

        lock (_writeLock)
        {
            AddLocked(vectors, n);
        }
    }

    private void AddLocked(ReadOnlySpan<float> vectors, int n)
    {
        var current = _snapshot;
        var used = current.Count * Dimension;
        var needed = used + vectors.Length;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException(
                $"A ManagedFlatIndex holds at most {Array.MaxLength:N0} values; adding {n:N0} {Dimension}-d vectors to {current.Count:N0} would pass that. Split the vectors over several indexes (shards).");
        }

        var data = current.Data;
        if (needed > data.Length)
        {
            var capacity = Math.Max(needed, Math.Max((long)InitialCapacityRows * Dimension, (long)data.Length * 2));
            data = GC.AllocateUninitializedArray<float>((int)Math.Min(capacity, Array.MaxLength));
            current.Data.AsSpan(0, (int)used).CopyTo(data);
        }

        // Readers of the old snapshot never look past its count, so writing after it is safe.
        vectors.CopyTo(data.AsSpan((int)used));
        Volatile.Write(ref _snapshot, new Snapshot(data, current.Count + n));
    }

    /// <summary>
    /// Adds vectors with explicit labels: supported only when the labels are the positions the vectors
    /// get anyway (<see cref="Count"/>, <see cref="Count"/> + 1, …), as FAISS's flat index has no id map.
    /// </summary>
    /// <param name="vectors">Vectors, row-major.</param>
    /// <param name="ids">One label per vector.</param>
    /// <exception cref="NotSupportedException">The labels are not consecutive from <see cref="Count"/>.</exception>
    public void Add(ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids)
    {
        ThrowIfDisposed();
        var n = RowCount(vectors, nameof(vectors));
        if (ids.Length != n)
        {
            throw new ArgumentException($"Expected one id per vector ({n}), got {ids.Length}.", nameof(ids));
        }

        lock (_writeLock)
        {
            var next = _snapshot.Count;
            for (var i = 0; i < ids.Length; i++)
            {
                if (ids[i] != next + i)
                {
                    throw new NotSupportedException(
                        $"A flat index labels vectors by position; id {ids[i]} at row {i} is not position {next + i}. Use a FAISS index with an id map (for example the factory string 'IDMap,Flat' through FaissIndexBuilder) for arbitrary labels.");
                }
            }

            if (n > 0)
            {
                AddLocked(vectors, n);
            }
        }
    }

    /// <inheritdoc />
    public void Search(ReadOnlySpan<float> queries, int k, Span<float> distances, Span<long> labels, int nprobe = 0)
    {
        ThrowIfDisposed();
        var n = RowCount(queries, nameof(queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nprobe);
        var needed = checked(n * k);
        if (distances.Length < needed || labels.Length < needed)
        {
            throw new ArgumentException($"The output spans need {needed} entries ({n} queries x k={k}).");
        }

        var snapshot = Volatile.Read(ref _snapshot);
        var level = Simd.Best;
        fixed (float* q = queries)
        fixed (float* x = snapshot.Data)
        {
            for (var i = 0; i < n; i++)
            {
                var top = new TopK(distances.Slice(i * k, k), labels.Slice(i * k, k));
                Scan(q + ((long)i * Dimension), x, snapshot.Count, level, ref top);
                top.Finish(Metric);
            }
        }
    }

    /// <inheritdoc />
    public RangeSearchResult RangeSearch(ReadOnlySpan<float> queries, float radius, int nprobe = 0)
    {
        ThrowIfDisposed();
        var n = RowCount(queries, nameof(queries));
        ArgumentOutOfRangeException.ThrowIfNegative(nprobe);
        var snapshot = Volatile.Read(ref _snapshot);
        var level = Simd.Best;
        var limits = new long[n + 1];
        var foundLabels = new List<long>();
        var foundDistances = new List<float>();
        var l2 = Metric == VectorMetric.L2;
        fixed (float* q = queries)
        fixed (float* x = snapshot.Data)
        {
            for (var i = 0; i < n; i++)
            {
                var query = q + ((long)i * Dimension);
                for (long row = 0; row < snapshot.Count; row++)
                {
                    var vector = x + (row * Dimension);
                    var value = l2 ? DistanceKernels.SquaredL2(query, vector, Dimension, level) : DistanceKernels.InnerProduct(query, vector, Dimension, level);
                    if (l2 ? value < radius : value > radius)
                    {
                        foundLabels.Add(row);
                        foundDistances.Add(value);
                    }
                }

                limits[i + 1] = foundLabels.Count;
            }
        }

        return new RangeSearchResult(limits, [.. foundLabels], [.. foundDistances]);
    }

    /// <summary>Copies vector <paramref name="key"/> into <paramref name="destination"/>.</summary>
    /// <param name="key">The vector's label (its position).</param>
    /// <param name="destination"><see cref="Dimension"/> floats.</param>
    public void Reconstruct(long key, Span<float> destination)
    {
        ThrowIfDisposed();
        var snapshot = Volatile.Read(ref _snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(key);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(key, snapshot.Count);
        if (destination.Length != Dimension)
        {
            throw new ArgumentException($"The destination has {destination.Length} floats; the dimension is {Dimension}.", nameof(destination));
        }

        snapshot.Data.AsSpan((int)(key * Dimension), Dimension).CopyTo(destination);
    }

    /// <inheritdoc />
    public void Reset()
    {
        ThrowIfDisposed();
        lock (_writeLock)
        {
            Volatile.Write(ref _snapshot, new Snapshot([], 0));
        }
    }

    /// <summary>Writes the index as a FAISS flat index file (<c>faiss.read_index</c> reads it).</summary>
    /// <param name="path">Destination file; replaced if it exists.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, Serialize());
    }

    /// <summary>The bytes of a FAISS flat index file of this index (<c>faiss.deserialize_index</c> reads them).</summary>
    /// <returns>The bytes: <see cref="SerializedSize"/> of them.</returns>
    public byte[] Serialize()
    {
        ThrowIfDisposed();
        var snapshot = Volatile.Read(ref _snapshot);
        var size = FaissFlatFormat.SizeOf(Dimension, snapshot.Count);
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"The index serialises to {size:N0} bytes, more than one array holds; use Save.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)size);
        FaissFlatFormat.Write(bytes, Dimension, Metric, snapshot.Count, snapshot.Data.AsSpan(0, (int)(snapshot.Count * Dimension)));
        return bytes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _snapshot = new Snapshot([], 0);
    }

    private void Scan(float* query, float* vectors, long count, SimdLevel level, ref TopK top)
    {
        var l2 = Metric == VectorMetric.L2;
        for (long row = 0; row < count; row++)
        {
            var vector = vectors + (row * Dimension);

            // One ordering for both metrics: smaller key is better (L2 distance, or minus the inner product).
            var key = l2 ? DistanceKernels.SquaredL2(query, vector, Dimension, level) : -DistanceKernels.InnerProduct(query, vector, Dimension, level);
            top.Offer(key, row);
        }
    }

    private int RowCount(ReadOnlySpan<float> vectors, string name)
    {
        if (vectors.Length % Dimension != 0)
        {
            throw new ArgumentException($"{vectors.Length} values are not whole vectors of dimension {Dimension}.", name);
        }

        return vectors.Length / Dimension;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class Snapshot(float[] data, long count)
    {
        public float[] Data { get; } = data;

        public long Count { get; } = count;
    }
}
