namespace Tessera.Indexing.Indexes;

/// <summary>How <see cref="IVectorIndexBuilder.Load(string, VectorIndexLoadOptions)"/> opens an index file.</summary>
public sealed record VectorIndexLoadOptions
{
    /// <summary>
    /// Maps the file read-only instead of reading it into memory, where the implementation can
    /// (FAISS: <c>IO_FLAG_MMAP | IO_FLAG_READ_ONLY</c>); the index must then not be changed.
    /// </summary>
    public bool MemoryMap { get; init; }
}
