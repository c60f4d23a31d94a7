namespace Tessera.Indexing.Mosaics.Building;

/// <summary>What the scan kept: the sampled pixels with data, and the nodata counts.</summary>
/// <typeparam name="T">The mosaic's stored value type.</typeparam>
/// <param name="Samples">The sampled pixels with data, in the source's own type.</param>
/// <param name="NodataPixels">Pixels without data in the whole mosaic.</param>
/// <param name="NodataSampledPixels">Sampled pixels skipped for having no data.</param>
/// <param name="AllEmbeddingsSha256">SHA-256 of <c>all_embeddings.npy</c>, computed while it was written.</param>
internal sealed record ScanResult<T>(SampleStore<T> Samples, long NodataPixels, long NodataSampledPixels, string? AllEmbeddingsSha256 = null)
    where T : unmanaged;
