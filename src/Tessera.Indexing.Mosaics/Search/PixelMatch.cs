namespace Tessera.Indexing.Mosaics.Search;

/// <summary>One matching pixel.</summary>
/// <param name="PixelIndex">Linear index row × width + col (the FAISS label and the row of <c>all_embeddings.npy</c>).</param>
/// <param name="Row">Row.</param>
/// <param name="Col">Column.</param>
/// <param name="Latitude">WGS84 latitude of the pixel's centre, through the viewport's CRS; NaN when the viewport has no latitude/longitude (see <see cref="ViewportSearcher.Georeference"/>).</param>
/// <param name="Longitude">WGS84 longitude of the pixel's centre; NaN when unavailable.</param>
/// <param name="Score">Cosine similarity or Euclidean distance, computed exactly on the indexed vectors.</param>
/// <param name="X">World X of the pixel's centre in the viewport's own CRS (easting for UTM).</param>
/// <param name="Y">World Y of the pixel's centre in the viewport's own CRS (northing for UTM).</param>
public readonly record struct PixelMatch(long PixelIndex, int Row, int Col, double Latitude, double Longitude, float Score, double X, double Y);
