namespace Tessera.Indexing.Indexes;

/// <summary>Whether a factory string wraps its index in an id map (so it can take explicit 64-bit ids).</summary>
public enum IndexIdMapKind
{
    /// <summary>No id map.</summary>
    None = 0,

    /// <summary><c>IDMap</c>: ids are mapped on search; vectors cannot be reconstructed by id.</summary>
    IdMap = 1,

    /// <summary><c>IDMap2</c>: also keeps the reverse map, so vectors can be reconstructed by id.</summary>
    IdMap2 = 2,
}
