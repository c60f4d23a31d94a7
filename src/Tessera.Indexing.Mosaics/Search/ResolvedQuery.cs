namespace Tessera.Indexing.Mosaics.Search;

/// <summary>The query as the search understood it: for pixel and point queries, the pixel used and its centre.</summary>
/// <param name="Kind">What the query named.</param>
/// <param name="PixelIndex">The query pixel's linear index, or <see langword="null"/> for a vector query.</param>
/// <param name="Row">The query pixel's row.</param>
/// <param name="Col">The query pixel's column.</param>
/// <param name="Latitude">WGS84 latitude of the query pixel's centre; <see langword="null"/> for a vector query or a viewport without latitude/longitude.</param>
/// <param name="Longitude">WGS84 longitude of the query pixel's centre; <see langword="null"/> as for <paramref name="Latitude"/>.</param>
/// <param name="X">World X of the query pixel's centre in the viewport's CRS.</param>
/// <param name="Y">World Y of the query pixel's centre in the viewport's CRS.</param>
public sealed record ResolvedQuery(ViewportQueryKind Kind, long? PixelIndex, int? Row, int? Col, double? Latitude, double? Longitude, double? X = null, double? Y = null);
