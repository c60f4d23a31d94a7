using Tessera.Indexing.Rasters;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="ICoordinateTransformFactory"/> must do: WGS84 ↔ a projected CRS in
/// traditional GIS order (X = longitude or easting), agreeing with GDAL's Python <c>osr</c> to the
/// millimetre for UTM north and south, both sides of a zone edge and two polar stereographic CRSs;
/// round trips that come back to the point; identity for WGS84 → WGS84; a CRS given by EPSG code
/// and by WKT alike; batches equal to single points; an unknown CRS refused with
/// <see cref="CoordinateTransformErrorKind.UnknownCrs"/>; a point outside the projection's domain
/// refused with <see cref="CoordinateTransformErrorKind.TransformFailed"/>; concurrent use.
/// </summary>
/// <remarks>The expected values were computed with GDAL 3.6's Python <c>osr.CoordinateTransformation</c> (OAMS_TRADITIONAL_GIS_ORDER).</remarks>
public abstract class CoordinateTransformFactoryContract
{
    /// <summary>The factory under test.</summary>
    /// <returns>A factory.</returns>
    protected abstract ICoordinateTransformFactory CreateFactory();

    /// <summary>WGS84 points and their projected coordinates from GDAL's Python osr.</summary>
    public static TheoryData<int, double, double, double, double> KnownPoints => new()
    {
        { 32631, 3.0, 0.0, 500000.000000001, 0.0 },                        // UTM 31N, the central meridian on the equator
        { 32631, 0.15, 52.05, 304583.59071526746, 5770433.264219431 },     // UTM 31N (Cambridge, UK)
        { 32630, 0.1005, 52.0995, 712353.4080282155, 5776640.690892631 },  // UTM 30N, the same place from the west zone
        { 32733, 18.4, -33.9, 814420.3309513011, 6243724.840074809 },      // UTM 33S (Cape Town)
        { 32643, 77.5566, 13.1039, 777208.5011603286, 1450028.5363630336 }, // UTM 43N (Bengaluru)
        { 32631, 5.999999, 45.0, 736445.9472858052, 4987329.501778169 },   // a zone edge, seen from zone 31 ...
        { 32632, 5.999999, 45.0, 263553.89508338866, 4987329.507619661 },  // ... and from zone 32
        { 3413, -45.0, 75.0, 0.0, -1633879.4974707854 },                  // NSIDC polar stereographic north
        { 3031, 0.0, -75.0, 0.0, 1638783.2384072365 },                     // Antarctic polar stereographic
    };

    /// <summary>WGS84 → the projected CRS agrees with GDAL's Python osr to a millimetre, longitude first.</summary>
    [Theory]
    [MemberData(nameof(KnownPoints))]
    public void Wgs84_to_a_projected_crs_matches_osr(int epsg, double lon, double lat, double x, double y)
    {
        using var transform = CreateFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(epsg));
        var (px, py) = transform.Transform(lon, lat);
        Assert.Equal(x, px, 0.001);
        Assert.Equal(y, py, 0.001);
    }

    /// <summary>The projected point comes back to its latitude/longitude.</summary>
    [Theory]
    [MemberData(nameof(KnownPoints))]
    public void A_projected_point_comes_back_to_its_latitude_and_longitude(int epsg, double lon, double lat, double x, double y)
    {
        using var inverse = CreateFactory().Create(RasterSpatialReference.FromEpsg(epsg), RasterSpatialReference.Wgs84);
        var (rlon, rlat) = inverse.Transform(x, y);
        Assert.Equal(lat, rlat, 1e-7);
        Assert.Equal(lon, rlon, 1e-7);
    }

    /// <summary>WGS84 → WGS84 leaves points as they are (longitude first, not the EPSG axis order).</summary>
    [Fact]
    public void Wgs84_to_wgs84_is_the_identity_in_longitude_latitude_order()
    {
        using var transform = CreateFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(4326));
        var (x, y) = transform.Transform(77.5, 13.1);
        Assert.Equal(77.5, x, 1e-12);
        Assert.Equal(13.1, y, 1e-12);
    }

    /// <summary>A CRS given as WKT transforms like the same CRS given by EPSG code.</summary>
    [Fact]
    public void A_crs_given_as_wkt_equals_the_same_crs_by_code()
    {
        const string utm31Wkt = "PROJCS[\"WGS 84 / UTM zone 31N\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],"
            + "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],"
            + "PARAMETER[\"central_meridian\",3],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",0],"
            + "UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH]]";
        var factory = CreateFactory();
        using var byWkt = factory.Create(RasterSpatialReference.Wgs84, new RasterSpatialReference(utm31Wkt, null));
        using var byCode = factory.Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32631));
        var a = byWkt.Transform(0.15, 52.05);
        var b = byCode.Transform(0.15, 52.05);
        Assert.Equal(b.X, a.X, 1e-6);
        Assert.Equal(b.Y, a.Y, 1e-6);
    }

    /// <summary>A batch transforms each point as a single call would.</summary>
    [Fact]
    public void A_batch_equals_point_by_point()
    {
        using var transform = CreateFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32733));
        double[] xs = [18.4, 18.5, 17.9, 19.0];
        double[] ys = [-33.9, -34.0, -33.5, -32.1];
        var expected = new (double X, double Y)[xs.Length];
        for (var i = 0; i < xs.Length; i++)
        {
            expected[i] = transform.Transform(xs[i], ys[i]);
        }

        transform.Transform(xs, ys);
        for (var i = 0; i < xs.Length; i++)
        {
            Assert.Equal(expected[i].X, xs[i], 1e-9);
            Assert.Equal(expected[i].Y, ys[i], 1e-9);
        }
    }

    /// <summary>An unknown CRS is refused when the transform is created.</summary>
    [Fact]
    public void An_unknown_crs_is_refused_with_unknown_crs()
    {
        var factory = CreateFactory();
        var error = Assert.Throws<CoordinateTransformException>(() => factory.Create(RasterSpatialReference.Wgs84, new RasterSpatialReference("not a crs at all", null)));
        Assert.Equal(CoordinateTransformErrorKind.UnknownCrs, error.Kind);
        Assert.Equal("UnknownCrs", error.ErrorKind);
    }

    /// <summary>A point the projection cannot take is refused rather than returned as infinity or garbage.</summary>
    [Fact]
    public void A_point_outside_the_projection_is_refused_with_transform_failed()
    {
        using var transform = CreateFactory().Create(RasterSpatialReference.FromEpsg(32631), RasterSpatialReference.Wgs84);
        double[] xs = [500000, 1e30];
        double[] ys = [5000000, 1e30];
        var error = Assert.Throws<CoordinateTransformException>(() => transform.Transform(xs, ys));
        Assert.Equal(CoordinateTransformErrorKind.TransformFailed, error.Kind);
    }

    /// <summary>One transform serves many threads at once with the single-thread answers.</summary>
    [Fact]
    public void One_transform_serves_concurrent_callers()
    {
        using var transform = CreateFactory().Create(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(32631));
        var expected = transform.Transform(0.15, 52.05);
        Parallel.For(0, 64, _ =>
        {
            for (var i = 0; i < 50; i++)
            {
                var got = transform.Transform(0.15, 52.05);
                Assert.Equal(expected, got);
            }
        });
    }
}
