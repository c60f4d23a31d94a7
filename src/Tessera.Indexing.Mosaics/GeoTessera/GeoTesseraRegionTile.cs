namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>One cell of a region.</summary>
/// <param name="Name">The cell.</param>
/// <param name="EmbeddingsPath">Where its tile is, or would be.</param>
/// <param name="Exists">Whether the tile and its scales exist.</param>
public sealed record GeoTesseraRegionTile(GeoTesseraTileName Name, string EmbeddingsPath, bool Exists);
