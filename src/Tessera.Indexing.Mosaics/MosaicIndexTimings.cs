namespace Tessera.Indexing.Mosaics;

/// <summary>Wall-clock time of each stage of a build.</summary>
/// <param name="Validating">Opening, checking and the cache look-up.</param>
/// <param name="Scanning">Streaming the mosaic, writing <c>all_embeddings.npy</c>, sampling.</param>
/// <param name="Training">Drawing the training subset and training the index.</param>
/// <param name="Adding">Converting and adding the samples.</param>
/// <param name="Saving">Writing the index and metadata and moving the folder into place.</param>
/// <param name="Total">The whole call.</param>
public sealed record MosaicIndexTimings(
    TimeSpan Validating,
    TimeSpan Scanning,
    TimeSpan Training,
    TimeSpan Adding,
    TimeSpan Saving,
    TimeSpan Total);
