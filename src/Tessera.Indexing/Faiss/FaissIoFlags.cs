namespace Tessera.Indexing.Faiss;

/// <summary>Flags for reading an index file, as FAISS's <c>IO_FLAG_*</c>.</summary>
[Flags]
public enum FaissIoFlags
{
    /// <summary>Read the whole file into memory.</summary>
    None = 0,

    /// <summary>Memory-map the inverted lists instead of reading them (<c>IO_FLAG_MMAP</c>).</summary>
    MemoryMap = 2,

    /// <summary>Read-only memory map (<c>IO_FLAG_READ_ONLY</c>), combined with <see cref="MemoryMap"/>.</summary>
    ReadOnly = 4,
}
