namespace Tessera.Indexing.Rasters;

/// <summary>Opens rasters by path (a file, or any location the implementation understands).</summary>
public interface IRasterSourceFactory
{
    /// <summary>Opens the raster at <paramref name="path"/> for reading.</summary>
    /// <param name="path">The raster's location.</param>
    /// <returns>The open raster; dispose it when done.</returns>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a raster this factory can read.</exception>
    IRasterSource Open(string path);
}
