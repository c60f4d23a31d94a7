namespace Tessera.Indexing.Mosaics.Search;

/// <summary>How GeoJSON output draws a matching pixel.</summary>
public enum SearchGeometry
{
    /// <summary>A point at the pixel's centre.</summary>
    Point,

    /// <summary>The pixel's footprint: a polygon through its four corners.</summary>
    PixelSquare,
}
