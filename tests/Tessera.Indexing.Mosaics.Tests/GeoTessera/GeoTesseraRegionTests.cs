using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.GeoTessera;

public sealed class GeoTesseraRegionTests
{
    [Fact]
    public void A_box_lists_every_cell_it_touches_from_the_north_west_and_which_exist()
    {
        using var dir = new TempDirectory();
        GeoTesseraFixtures.WriteTile(dir.Path, 0.15, 52.05, 4, 4, 2, landmask: "none");

        var cells = GeoTesseraRegion.FindTiles(dir.Path, 2024, 0.12, 51.95, 0.25, 52.08);

        Assert.Equal(
            ["grid_0.15_52.05", "grid_0.25_52.05", "grid_0.15_51.95", "grid_0.25_51.95"],
            cells.Select(c => c.Name.Name).ToArray());
        Assert.Equal([true, false, false, false], cells.Select(c => c.Exists).ToArray());
        Assert.EndsWith("global_0.1_degree_representation/2024/grid_0.15_52.05/grid_0.15_52.05.npy", cells[0].EmbeddingsPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Cells_on_the_box_edge_are_not_included()
    {
        var cells = GeoTesseraRegion.FindTiles("/nowhere", 2024, 0.1, 52.0, 0.3, 52.1);
        Assert.Equal(["grid_0.15_52.05", "grid_0.25_52.05"], cells.Select(c => c.Name.Name).ToArray());
    }

    [Fact]
    public void Negative_coordinates_name_their_cells_as_geotessera_does()
    {
        var cells = GeoTesseraRegion.FindTiles("/nowhere", 2024, -0.1, -34.0, 0.0, -33.9);
        Assert.Equal("grid_-0.05_-33.95", Assert.Single(cells).Name.Name);
    }

    [Fact]
    public void An_inverted_box_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GeoTesseraRegion.FindTiles("/nowhere", 2024, 0.3, 52.0, 0.1, 52.1));
    }
}
