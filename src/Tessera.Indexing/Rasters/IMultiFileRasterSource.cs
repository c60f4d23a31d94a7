namespace Tessera.Indexing.Rasters;

/// <summary>
/// A raster stored in several files (for example a GeoTessera tile: values and scales). Caches that
/// fingerprint a source look at every file listed here, not only <see cref="IRasterSource.Path"/>.
/// </summary>
public interface IMultiFileRasterSource : IRasterSource
{
    /// <summary>Every file the raster is read from, <see cref="IRasterSource.Path"/> first.</summary>
    IReadOnlyList<string> FilePaths { get; }
}
