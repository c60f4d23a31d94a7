using System.Globalization;
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
public sealed unsafe class FaissIndex : IVectorIndex
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

    /// <summary>Creates an empty index with FAISS's <c>index_factory</c>, within the default memory budget.</summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="factoryString">A FAISS factory description such as <c>Flat</c>, <c>IVF256,Flat</c> or <c>IVF1024,PQ64np</c> (see <see cref="IndexFactorySpec"/> for what is supported).</param>
    /// <param name="metric">The metric.</param>
    /// <returns>The new index.</returns>
    /// <exception cref="FaissException">
    /// The string is refused before FAISS sees it (<see cref="FaissErrorKind.InvalidFactoryString"/>:
    /// not understood, a zero or absurd size, sizes that do not fit <paramref name="dimension"/>, or
    /// results meaningless for <paramref name="metric"/>), the index would need more memory than the
    /// budget (<see cref="FaissErrorKind.MemoryBudgetExceeded"/>), or FAISS refused it.
    /// </exception>
    public static FaissIndex Create(int dimension, string factoryString, VectorMetric metric = VectorMetric.L2) =>
        Create(dimension, factoryString, metric, null);

    /// <summary>Creates an empty index with FAISS's <c>index_factory</c>.</summary>
    /// <param name="dimension">Vector dimension.</param>
    /// <param name="factoryString">A FAISS factory description (see <see cref="IndexFactorySpec"/>).</param>
    /// <param name="metric">The metric.</param>
    /// <param name="options">Limits; <see langword="null"/> uses the defaults.</param>
    /// <returns>The new index.</returns>
    /// <exception cref="FaissException">As for <see cref="Create(int, string, VectorMetric)"/>.</exception>
    public static FaissIndex Create(int dimension, string factoryString, VectorMetric metric, FaissIndexOptions? options)
    {
        new VectorIndexSpec(dimension, factoryString, metric).Validate();
        options = Resolve(options);
        var spec = ParseFactory(dimension, factoryString, metric);
        var bytes = spec.EstimateMemoryBytes(dimension, metric);
        if (bytes > options.MaxMemoryBytes)
        {
            throw new FaissException(
                FaissErrorKind.MemoryBudgetExceeded,
                "index_factory",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'{spec.FactoryString}' over {dimension}-d vectors needs about {bytes:N0} bytes before holding any vector (centroids, codebooks, list headers, tables), more than the memory budget of {options.MaxMemoryBytes:N0} bytes (FaissIndexOptions.MaxMemoryBytes). Use fewer lists or smaller codes."));
        }

        FaissNative.EnsureRegistered();
        var status = FaissNative.IndexFactory(out var handle, dimension, spec.FactoryString, (int)metric);
        CheckAndDisposeOnFailure(status, handle, "index_factory");
        var index = new FaissIndex(handle, spec.FactoryString);
        if (index.Metric != metric || index.Dimension != dimension)
        {
            index.Dispose();
            throw new FaissException(
                FaissErrorKind.InvalidFactoryString,
                "index_factory",
                $"FAISS built a {index.Dimension}-d {index.Metric} index for '{spec.FactoryString}' although a {dimension}-d {metric} one was asked for; its results would be meaningless.");
        }

        return index;
    }

    /// <summary>Creates an empty index from <paramref name="spec"/>.</summary>
    /// <param name="spec">Dimension, factory string and metric.</param>
    /// <returns>The new index.</returns>
    public static FaissIndex Create(VectorIndexSpec spec) => Create(spec, null);

    /// <summary>Creates an empty index from <paramref name="spec"/>.</summary>
    /// <param name="spec">Dimension, factory string and metric.</param>
    /// <param name="options">Limits; <see langword="null"/> uses the defaults.</param>
    /// <returns>The new index.</returns>
    public static FaissIndex Create(VectorIndexSpec spec, FaissIndexOptions? options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Create(spec.Dimension, spec.FactoryString, spec.Metric, options);
    }

    /// <summary>Reads an index file written by FAISS (from any language), within the default memory budget.</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">Read flags (memory-mapping).</param>
    /// <returns>The index.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (or is a directory).</exception>
    /// <exception cref="FaissException">
    /// The file is not a well-formed index (<see cref="FaissErrorKind.CorruptIndex"/>: truncated, a
    /// field out of range, sizes that disagree), holds an index type this library does not load
    /// (<see cref="FaissErrorKind.UnsupportedIndex"/>), would need more memory than the budget
    /// (<see cref="FaissErrorKind.MemoryBudgetExceeded"/>), or FAISS refused it. The file is checked
    /// structurally before FAISS reads it.
    /// </exception>
    public static FaissIndex Load(string path, FaissIoFlags flags = FaissIoFlags.None) => Load(path, flags, null);

    /// <summary>Reads an index file written by FAISS (from any language).</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">Read flags (memory-mapping).</param>
    /// <param name="options">Limits; <see langword="null"/> uses the defaults.</param>
    /// <returns>The index.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (or is a directory).</exception>
    /// <exception cref="FaissException">As for <see cref="Load(string, FaissIoFlags)"/>.</exception>
    /// <remarks>
    /// The file is validated, then read by FAISS through the same open descriptor, so a path
    /// replaced in between does not matter; a file rewritten in place is detected when its
    /// dimension, count or metric differ, not in general. With <see cref="FaissIoFlags.MemoryMap"/>
    /// the inverted lists stay in the file: truncating or rewriting it while the index is open ends
    /// the process with SIGBUS, as for any memory-mapped file.
    /// </remarks>
    public static FaissIndex Load(string path, FaissIoFlags flags, FaissIndexOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = Resolve(options);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException(
                Directory.Exists(path) ? $"'{path}' is a directory, not a FAISS index file." : $"FAISS index file '{path}' does not exist.",
                path);
        }

        // A FIFO, socket or device reports no length: refused here, before opening it could block.
        if (file.Length == 0)
        {
            FaissIndexValidator.Validate(ReadOnlySpan<byte>.Empty, options.MaxMemoryBytes);
        }

        // FAISS reads the very file that was validated (through the same descriptor), so replacing
        // the path in between changes nothing; rewriting the file in place is caught when the
        // dimension, count or metric FAISS reads differ from the validated ones.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        var summary = FaissIndexValidator.Validate(stream, options.MaxMemoryBytes, (flags & FaissIoFlags.MemoryMap) == FaissIoFlags.MemoryMap);
        FaissNative.EnsureRegistered();
        var status = FaissNative.ReadIndexFile(out var handle, stream.SafeFileHandle, (int)flags);
        CheckAndDisposeOnFailure(status, handle, "read_index");
        return Checked(new FaissIndex(handle, null), summary);
    }

    /// <summary>Reads an index from the bytes of an index file, within the default memory budget.</summary>
    /// <param name="data">The bytes, as written by <see cref="Serialize"/> or any FAISS <c>write_index</c>.</param>
    /// <returns>The index.</returns>
    /// <exception cref="FaissException">As for <see cref="Load(string, FaissIoFlags)"/>.</exception>
    public static FaissIndex Deserialize(ReadOnlySpan<byte> data) => Deserialize(data, null);

    /// <summary>Reads an index from the bytes of an index file.</summary>
    /// <param name="data">The bytes, as written by <see cref="Serialize"/> or any FAISS <c>write_index</c>.</param>
    /// <param name="options">Limits; <see langword="null"/> uses the defaults.</param>
    /// <returns>The index.</returns>
    /// <exception cref="FaissException">As for <see cref="Load(string, FaissIoFlags)"/>.</exception>
    public static FaissIndex Deserialize(ReadOnlySpan<byte> data, FaissIndexOptions? options)
    {
        options = Resolve(options);
        var summary = FaissIndexValidator.Validate(data, options.MaxMemoryBytes);
        FaissNative.EnsureRegistered();
        int status;
        FaissIndexHandle handle;
        fixed (byte* p = data)
        {
            status = FaissNative.ReadIndexBuffer(out handle, p, (nuint)data.Length);
        }

        CheckAndDisposeOnFailure(status, handle, "read_index");
        return Checked(new FaissIndex(handle, null), summary);
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

    /// <summary>The IVF structure of the index, or <see langword="null"/> when it is not an IVF index.</summary>
    /// <returns>The IVF description or <see langword="null"/>.</returns>
    public FaissIvfInfo? TryGetIvfInfo()
    {
        if (FaissNative.IvfInfo(_handle, out var info) != 0)
        {
            return null;
        }

        return new FaissIvfInfo(
            info.NList,
            info.NProbe,
            checked((int)info.CodeSize),
            info.IsPq != 0,
            info.PqM,
            info.PqNBits,
            info.ByResidual != 0,
            info.Polysemous != 0,
            info.IsDirect != 0);
    }

    /// <summary>The IVF structure of the index.</summary>
    /// <returns>The IVF description.</returns>
    /// <exception cref="FaissException">The index is not an IVF index.</exception>
    public FaissIvfInfo GetIvfInfo()
    {
        FaissStatus.Check(FaissNative.IvfInfo(_handle, out _), "ivf_info");
        return TryGetIvfInfo()!;
    }

    /// <summary>Sets the default number of IVF lists visited per query.</summary>
    /// <param name="nprobe">Lists to visit.</param>
    public void SetNProbe(int nprobe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nprobe, 1);
        FaissStatus.Check(FaissNative.IvfSetNprobe(_handle, nprobe), "set_nprobe");
    }

    /// <summary>Replaces the coarse quantizer's centroids of an empty IVF index (<c>nlist * Dimension</c> floats).</summary>
    /// <param name="centroids">The centroids, row-major.</param>
    public void SetCoarseCentroids(ReadOnlySpan<float> centroids)
    {
        var info = GetIvfInfo();
        ExpectLength(centroids.Length, info.NList * Dimension, nameof(centroids));
        fixed (float* c = centroids)
        {
            FaissStatus.Check(FaissNative.IvfSetCentroids(_handle, c, info.NList), "set_centroids");
        }
    }

    /// <summary>The coarse quantizer's centroids (<c>nlist * Dimension</c> floats).</summary>
    /// <returns>The centroids, row-major.</returns>
    public float[] GetCoarseCentroids()
    {
        var info = GetIvfInfo();
        var result = new float[checked((int)(info.NList * Dimension))];
        fixed (float* c = result)
        {
            FaissStatus.Check(FaissNative.IvfGetCentroids(_handle, c), "get_centroids");
        }

        return result;
    }

    /// <summary>Sets the PQ codebooks of an empty IVF-PQ index: layout (M, 2^bits, Dimension / M).</summary>
    /// <param name="codebooks">The codebooks.</param>
    public void SetPqCodebooks(ReadOnlySpan<float> codebooks)
    {
        var info = GetIvfInfo();
        ExpectLength(codebooks.Length, PqCodebookLength(info), nameof(codebooks));
        fixed (float* c = codebooks)
        {
            FaissStatus.Check(FaissNative.IvfPqSetCentroids(_handle, c), "set_pq_centroids");
        }
    }

    /// <summary>The PQ codebooks of an IVF-PQ index: layout (M, 2^bits, Dimension / M).</summary>
    /// <returns>The codebooks.</returns>
    public float[] GetPqCodebooks()
    {
        var info = GetIvfInfo();
        var result = new float[PqCodebookLength(info)];
        fixed (float* c = result)
        {
            FaissStatus.Check(FaissNative.IvfPqGetCentroids(_handle, c), "get_pq_centroids");
        }

        return result;
    }

    /// <summary>Marks an IVF index trained once its centroids (and codebooks) were set from outside.</summary>
    public void MarkTrained() => FaissStatus.Check(FaissNative.IvfSetTrained(_handle), "set_trained");

    /// <summary>
    /// Appends entries encoded outside FAISS to a bare, trained IVF index: for entry <c>i</c>, list
    /// <paramref name="listNumbers"/>[i], code bytes <paramref name="codes"/>[i * CodeSize ..], label <paramref name="ids"/>[i].
    /// </summary>
    /// <param name="listNumbers">Inverted list of each entry.</param>
    /// <param name="codes">Codes, <see cref="FaissIvfInfo.CodeSize"/> bytes each.</param>
    /// <param name="ids">Labels.</param>
    public void AddPreEncoded(ReadOnlySpan<long> listNumbers, ReadOnlySpan<byte> codes, ReadOnlySpan<long> ids)
    {
        var info = GetIvfInfo();
        var n = listNumbers.Length;
        if (ids.Length != n)
        {
            throw new ArgumentException($"Expected {n} ids, got {ids.Length}.", nameof(ids));
        }

        ExpectLength(codes.Length, (long)n * info.CodeSize, nameof(codes));
        if (n == 0)
        {
            return;
        }

        fixed (long* l = listNumbers)
        fixed (byte* c = codes)
        fixed (long* i = ids)
        {
            FaissStatus.Check(FaissNative.IvfAddPreEncoded(_handle, n, l, c, i), "add_preencoded");
        }
    }

    /// <summary>FAISS's own IVF encoding of <paramref name="vectors"/>: coarse list numbers and codes.</summary>
    /// <param name="vectors">Vectors, row-major.</param>
    /// <param name="listNumbers">Output, one per vector.</param>
    /// <param name="codes">Output, <see cref="FaissIvfInfo.CodeSize"/> bytes per vector.</param>
    public void EncodeIvf(ReadOnlySpan<float> vectors, Span<long> listNumbers, Span<byte> codes)
    {
        var n = RowCount(vectors, nameof(vectors));
        var info = GetIvfInfo();
        if (listNumbers.Length < n || codes.Length < (long)n * info.CodeSize)
        {
            throw new ArgumentException("The output spans are too small.");
        }

        if (n == 0)
        {
            return;
        }

        fixed (float* x = vectors)
        fixed (long* l = listNumbers)
        fixed (byte* c = codes)
        {
            FaissStatus.Check(FaissNative.IvfEncode(_handle, n, x, l, c), "encode");
        }
    }

    /// <summary>Number of entries in one inverted list.</summary>
    /// <param name="listNumber">The list.</param>
    /// <returns>Its size.</returns>
    public long GetListSize(long listNumber)
    {
        FaissStatus.Check(FaissNative.IvfListSize(_handle, listNumber, out var size), "list_size");
        return size;
    }

    /// <summary>Copies the labels and codes of one inverted list.</summary>
    /// <param name="listNumber">The list.</param>
    /// <returns>Labels and codes (<see cref="FaissIvfInfo.CodeSize"/> bytes each).</returns>
    public (long[] Ids, byte[] Codes) GetList(long listNumber)
    {
        var info = GetIvfInfo();
        var size = checked((int)GetListSize(listNumber));
        var ids = new long[size];
        var codes = new byte[checked(size * info.CodeSize)];
        fixed (long* i = ids)
        fixed (byte* c = codes)
        {
            FaissStatus.Check(FaissNative.IvfGetList(_handle, listNumber, i, c), "get_list");
        }

        return (ids, codes);
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
