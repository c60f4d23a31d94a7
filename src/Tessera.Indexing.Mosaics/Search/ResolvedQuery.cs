namespace Tessera.Indexing.Mosaics.Search;

/// <summary>The query as the search understood it: for pixel and point queries, the pixel used and its centre.</summary>
/// <param name="Kind">What the query named.</param>
/// <param name="PixelIndex">The query pixel's linear index, or <see langword="null"/> for a vector query.</param>
/// <param name="Row">The query pixel's row.</param>
/// <param name="Col">The query pixel's column.</param>
/// <param name="Latitude">Latitude of the query pixel's centre.</param>
/// <param name="Longitude">Longitude of the query pixel's centre.</param>
public sealed record ResolvedQuery(ViewportQueryKind Kind, long? PixelIndex, int? Row, int? Col, double? Latitude, double? Longitude);
