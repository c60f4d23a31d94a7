using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// Builds a viewport's searchable index from an embedding mosaic: <c>embeddings.index</c> (the sampled
/// pixels, labelled by linear pixel index), <c>all_embeddings.npy</c> (every pixel) and
/// <c>metadata.json</c>, in <c>{OutputRoot}/{ViewportId}/</c>, streaming the mosaic in bounded memory
/// and skipping the work when a valid viewport for the same source and parameters exists.
/// </summary>
public interface IMosaicIndexer
{
    /// <summary>Opens the mosaic at <paramref name="mosaicPath"/> and builds (or finds cached) its viewport.</summary>
    /// <param name="mosaicPath">Any raster a registered <see cref="IRasterSourceFactory"/> opens: a GeoTIFF (GDAL's factory), or a GeoTessera <c>grid_X_Y.npy</c> tile (<c>GeoTesseraTileSourceFactory</c>).</param>
    /// <param name="options">What to build.</param>
    /// <param name="progress">Receives stage and fraction reports.</param>
    /// <param name="cancellationToken">Cancels the build; nothing is left behind.</param>
    /// <returns>What was built or found.</returns>
    /// <exception cref="MosaicIndexException">Bad input, or the build failed; nothing is left behind.</exception>
    Task<MosaicIndexResult> BuildAsync(string mosaicPath, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Builds (or finds cached) the viewport of an open raster.</summary>
    /// <param name="source">The mosaic; not disposed by this call.</param>
    /// <param name="options">What to build.</param>
    /// <param name="progress">Receives stage and fraction reports.</param>
    /// <param name="cancellationToken">Cancels the build; nothing is left behind.</param>
    /// <returns>What was built or found.</returns>
    /// <exception cref="MosaicIndexException">Bad input, or the build failed; nothing is left behind.</exception>
    Task<MosaicIndexResult> BuildAsync(IRasterSource source, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default);
}
