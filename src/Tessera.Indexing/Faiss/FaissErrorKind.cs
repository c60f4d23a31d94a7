namespace Tessera.Indexing.Faiss;

/// <summary>What kind of failure a <see cref="FaissException"/> reports.</summary>
public enum FaissErrorKind
{
    /// <summary>An error of unknown origin.</summary>
    Unknown = 0,

    /// <summary>FAISS itself refused the operation (<c>faiss::FaissException</c>).</summary>
    Faiss = 1,

    /// <summary>A C++ runtime error inside FAISS (for example out of memory).</summary>
    Runtime = 2,

    /// <summary>The shim rejected an argument before calling FAISS.</summary>
    InvalidArgument = 4,

    /// <summary>The index type does not support the operation (for example IVF calls on a flat index).</summary>
    NotSupported = 5,
}
