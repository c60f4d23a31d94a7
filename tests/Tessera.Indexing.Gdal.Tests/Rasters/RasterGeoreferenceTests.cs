using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

public sealed class RasterGeoreferenceTests
{
    // A 10 m UTM 31N grid around Cambridge, UK (the GeoTessera tile grid_0.15_52.05).
    private static readonly GeoTransform Utm31 = new(301000, 10, 0, 5773000, 0, -10);

    [Fact]
    public void Pixel_centres_of_a_utm_grid_are_wgs84_latitude_and_longitude()
    {
        using var georeference = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), new GdalCoordinateTransformFactory());
        var (lat, lon) = georeference.PixelCenterToLatLon(row: 100, col: 200);

        // Cross-check: the centre's UTM coordinates, projected back by an independent transform.
        using var inverse = new GdalCoordinateTransformFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32631));
        var (x, y) = inverse.Transform(lon, lat);
        Assert.Equal(301000 + (200.5 * 10), x, 1e-4);
        Assert.Equal(5773000 - (100.5 * 10), y, 1e-4);
        Assert.InRange(lat, 52.0, 52.1);
        Assert.InRange(lon, 0.09, 0.2);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(37, 411)]
    [InlineData(1099, 699)]
    public void The_latitude_and_longitude_of_a_pixel_centre_finds_that_pixel(int row, int col)
    {
        using var georeference = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), new GdalCoordinateTransformFactory());
        var (lat, lon) = georeference.PixelCenterToLatLon(row, col);
        var (c, r) = georeference.LatLonToPixel(lat, lon);
        Assert.Equal(row, (int)Math.Floor(r));
        Assert.Equal(col, (int)Math.Floor(c));
    }

    [Fact]
    public void Lat_lon_bounds_are_the_extremes_of_the_four_corners()
    {
        using var georeference = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), new GdalCoordinateTransformFactory());
        var (west, south, east, north) = georeference.LatLonBounds(700, 1100);

        // Each corner on its own, through the single-point transform.
        var corners = new[] { (0.0, 0.0), (700.0, 0.0), (0.0, 1100.0), (700.0, 1100.0) }.Select(c => georeference.PixelToLatLon(c.Item1, c.Item2)).ToArray();
        Assert.Equal(corners.Min(c => c.Longitude), west, 1e-9);
        Assert.Equal(corners.Max(c => c.Longitude), east, 1e-9);
        Assert.Equal(corners.Min(c => c.Latitude), south, 1e-9);
        Assert.Equal(corners.Max(c => c.Latitude), north, 1e-9);
        Assert.True(west < east && south < north);

        using var unavailable = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), transforms: null);
        Assert.Throws<CoordinateTransformException>(() => unavailable.LatLonBounds(700, 1100));
    }

    [Fact]
    public void A_polar_stereographic_grid_round_trips_through_latitude_and_longitude()
    {
        var grid = new GeoTransform(-100000, 25, 0, -1500000, 0, -25);
        using var georeference = RasterGeoreference.Create(grid, RasterSpatialReference.FromEpsg(3413), new GdalCoordinateTransformFactory());
        var (lat, lon) = georeference.PixelCenterToLatLon(40, 17);
        Assert.InRange(lat, 70, 80);
        var (c, r) = georeference.LatLonToPixel(lat, lon);
        Assert.Equal(17.5, c, 1e-6);
        Assert.Equal(40.5, r, 1e-6);
    }

    [Fact]
    public void Without_a_transform_provider_a_projected_crs_has_no_latitude_and_longitude()
    {
        using var georeference = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), transforms: null);
        Assert.False(georeference.HasLatLon);
        var error = Assert.Throws<CoordinateTransformException>(() => georeference.PixelCenterToLatLon(0, 0));
        Assert.Equal(CoordinateTransformErrorKind.NoTransformProvider, error.Kind);
        Assert.Contains("EPSG:32631", error.Message, StringComparison.Ordinal);
        Assert.Throws<CoordinateTransformException>(() => georeference.LatLonToPixel(52.05, 0.15));

        // The pixel grid itself still works.
        Assert.Equal((301005.0, 5772995.0), georeference.GeoTransform.PixelCenterToWorld(0, 0));
    }

    [Fact]
    public void Without_a_transform_provider_wgs84_is_its_own_latitude_and_longitude()
    {
        var grid = new GeoTransform(77.5, 0.0001, 0, 13.1, 0, -0.0001);
        using var georeference = RasterGeoreference.Create(grid, RasterSpatialReference.Parse("EPSG:4326", null), transforms: null);
        Assert.True(georeference.HasLatLon);
        var (lat, lon) = georeference.PixelCenterToLatLon(2, 3);
        Assert.Equal(13.1 - (2.5 * 0.0001), lat, 12);
        Assert.Equal(77.5 + (3.5 * 0.0001), lon, 12);
    }

    [Fact]
    public void A_raster_without_a_crs_has_no_latitude_and_longitude()
    {
        using var georeference = RasterGeoreference.Create(Utm31, null, new GdalCoordinateTransformFactory());
        var error = Assert.Throws<CoordinateTransformException>(() => georeference.PixelCenterToLatLon(0, 0));
        Assert.Equal(CoordinateTransformErrorKind.UnknownCrs, error.Kind);
    }

    [Fact]
    public void A_latitude_beyond_the_poles_is_refused()
    {
        using var georeference = RasterGeoreference.Create(Utm31, RasterSpatialReference.FromEpsg(32631), new GdalCoordinateTransformFactory());
        var error = Assert.Throws<CoordinateTransformException>(() => georeference.LatLonToPixel(91, 0.15));
        Assert.Equal(CoordinateTransformErrorKind.TransformFailed, error.Kind);
    }
}
