namespace Tessera.Indexing.Mosaics.Building;

/// <summary>What the scan kept: the sampled pixels with data, and the nodata counts.</summary>
/// <typeparam name="T">The mosaic's stored value type.</typeparam>
/// <param name="Samples">The sampled pixels with data, in the source's own type.</param>
/// <param name="NodataPixels">Pixels without data in the whole mosaic.</param>
/// <param name="NodataSampledPixels">Sampled pixels skipped for having no data.</param>
/// <param name="WrittenSha256">File name → SHA-256 of the files the scan wrote (<c>all_embeddings.npy</c>, <c>all_norms.npy</c>), computed while they were written.</param>
internal sealed record ScanResult<T>(SampleStore<T> Samples, long NodataPixels, long NodataSampledPixels, IReadOnlyDictionary<string, string>? WrittenSha256 = null)
    where T : unmanaged;
