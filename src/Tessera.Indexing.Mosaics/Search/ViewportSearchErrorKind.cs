namespace Tessera.Indexing.Mosaics.Search;

/// <summary>Why a viewport search failed.</summary>
public enum ViewportSearchErrorKind
{
    /// <summary>A request field is out of range or inconsistent (see <see cref="ViewportSearchException.Field"/>).</summary>
    InvalidRequest,

    /// <summary>The pixel or point lies outside the mosaic.</summary>
    OutsideMosaic,

    /// <summary>The query pixel has no data (all its values are zero).</summary>
    NoDataAtQuery,

    /// <summary>The viewport folder or one of its files is missing.</summary>
    ViewportNotFound,

    /// <summary>The viewport's files are inconsistent with each other or unreadable.</summary>
    InvalidViewport,

    /// <summary>The requested strategy cannot run on this viewport (no index, or a metric the index cannot express).</summary>
    StrategyUnavailable,

    /// <summary>
    /// Latitude/longitude were asked of a viewport whose CRS is unknown, or is not WGS84 and no
    /// coordinate transform provider (<c>AddGdal()</c>, <see cref="ViewportSearcherOptions.CoordinateTransforms"/>) is available.
    /// </summary>
    CoordinatesUnavailable,
}
