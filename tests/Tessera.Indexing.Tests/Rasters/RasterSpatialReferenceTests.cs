using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Tests.Rasters;

public sealed class RasterSpatialReferenceTests
{
    [Theory]
    [InlineData("EPSG:4326", null, true)]
    [InlineData("OGC:CRS84", null, true)]
    [InlineData("EPSG:32631", null, false)]
    [InlineData("EPSG:3413", null, false)]
    public void Only_wgs84_geographic_needs_no_transform(string crs, string? wkt, bool expected)
    {
        Assert.Equal(expected, RasterSpatialReference.Parse(crs, wkt)!.IsWgs84Geographic);
    }

    [Fact]
    public void Metadata_crs_and_wkt_parse_into_a_reference_with_its_epsg_code()
    {
        var reference = RasterSpatialReference.Parse("EPSG:32631", "PROJCS[\"WGS 84 / UTM zone 31N\"]")!;
        Assert.Equal(32631, reference.EpsgCode);
        Assert.StartsWith("PROJCS", reference.Wkt, StringComparison.Ordinal);
        Assert.Equal("EPSG:32631", reference.ToString());
        Assert.Null(RasterSpatialReference.Parse(null, null));
        Assert.Null(RasterSpatialReference.Parse(" ", ""));
    }

    [Fact]
    public void Epsg_4326_is_the_wgs84_reference()
    {
        Assert.Same(RasterSpatialReference.Wgs84, RasterSpatialReference.FromEpsg(4326));
        Assert.True(RasterSpatialReference.Wgs84.IsWgs84Geographic);
    }

    [Fact]
    public void Without_a_transform_factory_a_projected_crs_has_no_latitude_and_longitude()
    {
        using var georeference = RasterGeoreference.Create(new GeoTransform(301380, 10, 0, 5776130, 0, -10), RasterSpatialReference.FromEpsg(32631), null);
        var error = Assert.Throws<CoordinateTransformException>(() => georeference.WorldToLatLon(301385, 5776125));
        Assert.Equal(CoordinateTransformErrorKind.NoTransformProvider, error.Kind);
        Assert.Contains("AddGdal", error.Message, StringComparison.Ordinal);
    }
}
