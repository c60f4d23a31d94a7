using System.Globalization;
using Tessera.Indexing.Faiss.Validation;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Interop.Faiss;

namespace Tessera.Indexing.Faiss;

public unsafe partial class FaissIndex
{
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
}
