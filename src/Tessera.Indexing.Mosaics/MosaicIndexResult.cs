namespace Tessera.Indexing.Mosaics;

/// <summary>What a mosaic index build produced.</summary>
/// <param name="Status">Built, or found valid in the cache.</param>
/// <param name="Directory">The viewport folder (<c>{root}/{viewport_id}</c>).</param>
/// <param name="Metadata">The viewport's metadata (for a cached viewport, as found on disk).</param>
/// <param name="Timings">Time per stage.</param>
/// <param name="PeakWorkingSetBytes">The process's peak resident memory when the call returned.</param>
public sealed record MosaicIndexResult(
    MosaicIndexStatus Status,
    string Directory,
    MosaicMetadata Metadata,
    MosaicIndexTimings Timings,
    long PeakWorkingSetBytes)
{
    /// <summary>The viewport id.</summary>
    public string ViewportId => Metadata.ViewportId;

    /// <summary>Pixels in the mosaic.</summary>
    public long TotalPixels => Metadata.NumTotalPixels;

    /// <summary>Vectors in the index.</summary>
    public long SampledPixels => Metadata.NumSampledPixels;

    /// <summary>Nodata pixels in the mosaic.</summary>
    public long NodataPixels => Metadata.NodataPixels;

    /// <summary>The path of <c>embeddings.index</c>.</summary>
    public string IndexPath => Path.Combine(Directory, MosaicLayout.IndexFileName);

    /// <summary>The path of <c>all_embeddings.npy</c>.</summary>
    public string AllEmbeddingsPath => Path.Combine(Directory, MosaicLayout.AllEmbeddingsFileName);

    /// <summary>The path of <c>metadata.json</c>.</summary>
    public string MetadataPath => Path.Combine(Directory, MosaicLayout.MetadataFileName);
}
