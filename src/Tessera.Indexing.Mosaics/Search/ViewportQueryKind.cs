namespace Tessera.Indexing.Mosaics.Search;

/// <summary>What a <see cref="ViewportQuery"/> names.</summary>
public enum ViewportQueryKind
{
    /// <summary>An embedding vector given by the caller, in the indexed space.</summary>
    Vector,

    /// <summary>A pixel (row, column) of the viewport: its embedding is the query.</summary>
    Pixel,

    /// <summary>A point (latitude, longitude) in the mosaic's CRS: the embedding of the pixel containing it is the query.</summary>
    LatLon,
}
