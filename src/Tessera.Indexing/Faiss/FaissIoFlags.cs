namespace Tessera.Indexing.Faiss;

/// <summary>Flags for reading an index file: FAISS's own <c>IO_FLAG_*</c> values (<c>faiss/index_io.h</c>).</summary>
[Flags]
public enum FaissIoFlags
{
    /// <summary>Read the whole file into memory.</summary>
    None = 0,

    /// <summary>Open on-disk inverted lists read-only (<c>IO_FLAG_READ_ONLY</c>).</summary>
    ReadOnly = 2,

    /// <summary>
    /// Memory-map the inverted lists instead of reading them (<c>IO_FLAG_MMAP</c>): an IVF index's
    /// codes and ids stay in the page cache, read-only. The file must not be truncated or rewritten
    /// while the index is open (the process would end with SIGBUS, as with any mapped file).
    /// Other index types are read normally. Such an index serialises in FAISS's on-disk list format
    /// (pointing at this file), which <see cref="FaissIndex.Load(string, FaissIoFlags)"/> refuses as
    /// <see cref="FaissErrorKind.UnsupportedIndex"/>: save from an index read without this flag.
    /// </summary>
    MemoryMap = 0x646f0000 | 8,
}
