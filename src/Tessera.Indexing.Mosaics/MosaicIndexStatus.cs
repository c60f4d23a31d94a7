namespace Tessera.Indexing.Mosaics;

/// <summary>What a build call did.</summary>
public enum MosaicIndexStatus
{
    /// <summary>The viewport was built (or rebuilt) and moved into place.</summary>
    Built = 0,

    /// <summary>A valid viewport for the same source and parameters already existed; nothing was written.</summary>
    Cached = 1,
}
