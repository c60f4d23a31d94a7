using System.Globalization;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>The GeoTessera tiles of a WGS84 box in a folder laid out as GeoTessera lays it out (<see cref="GeoTesseraLayout"/>).</summary>
public static class GeoTesseraRegion
{
    /// <summary>
    /// Every 0.1° cell that the box touches, in row order from the north-west, and where its tile
    /// would be under <paramref name="baseFolder"/> for <paramref name="year"/>.
    /// </summary>
    /// <param name="baseFolder">The folder holding <c>global_0.1_degree_representation/</c>.</param>
    /// <param name="year">The year.</param>
    /// <param name="west">West longitude.</param>
    /// <param name="south">South latitude.</param>
    /// <param name="east">East longitude.</param>
    /// <param name="north">North latitude.</param>
    /// <returns>The cells, each with its tile's path and whether the tile (and its scales) exist.</returns>
    /// <exception cref="ArgumentException">The box is empty, inverted or not on the Earth.</exception>
    public static IReadOnlyList<GeoTesseraRegionTile> FindTiles(string baseFolder, int year, double west, double south, double east, double north)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseFolder);
        if (!(west < east) || !(south < north) || west < -180 || east > 180 || south < -90 || north > 90)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The box west {west}, south {south}, east {east}, north {north} is not a box on the Earth (west < east, south < north)."));
        }

        const double step = GeoTesseraTileName.CellDegrees;
        var firstColumn = (int)Math.Floor((west / step) + 1e-9);
        var lastColumn = (int)Math.Ceiling((east / step) - 1e-9) - 1;
        var firstRow = (int)Math.Floor((south / step) + 1e-9);
        var lastRow = (int)Math.Ceiling((north / step) - 1e-9) - 1;
        var tiles = new List<GeoTesseraRegionTile>();
        for (var row = lastRow; row >= firstRow; row--)
        {
            for (var column = firstColumn; column <= lastColumn; column++)
            {
                var name = new GeoTesseraTileName(Math.Round((column * step) + 0.05, 2), Math.Round((row * step) + 0.05, 2));
                var path = GeoTesseraLayout.EmbeddingPath(baseFolder, year, name);
                tiles.Add(new GeoTesseraRegionTile(name, path, File.Exists(path) && File.Exists(GeoTesseraTileSource.GetScalesPath(path))));
            }
        }

        return tiles;
    }
}
