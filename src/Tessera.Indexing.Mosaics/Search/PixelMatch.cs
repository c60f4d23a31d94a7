namespace Tessera.Indexing.Mosaics.Search;

/// <summary>One matching pixel.</summary>
/// <param name="PixelIndex">Linear index row × width + col (the FAISS label and the row of <c>all_embeddings.npy</c>).</param>
/// <param name="Row">Row.</param>
/// <param name="Col">Column.</param>
/// <param name="Latitude">Latitude (world Y) of the pixel's centre.</param>
/// <param name="Longitude">Longitude (world X) of the pixel's centre.</param>
/// <param name="Score">Cosine similarity or Euclidean distance, computed exactly on the indexed vectors.</param>
public readonly record struct PixelMatch(long PixelIndex, int Row, int Col, double Latitude, double Longitude, float Score);
