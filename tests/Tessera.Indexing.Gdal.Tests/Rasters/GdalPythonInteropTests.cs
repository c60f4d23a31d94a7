using System.Text.Json;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Gdal.Tests.Rasters;

/// <summary>Python's GDAL (python3-gdal) is the other side: it reads what we write and what we read.</summary>
public sealed class GdalPythonInteropTests : IDisposable
{
    private const string DescribeScript = """
        import json, sys
        from osgeo import gdal
        import numpy as np
        ds = gdal.Open(sys.argv[1])
        x, y, w, h = (int(v) for v in sys.argv[2:6])
        band = ds.GetRasterBand(1)
        a = ds.ReadAsArray(x, y, w, h)  # (bands, h, w)
        if band.GetMetadataItem('PIXELTYPE', 'IMAGE_STRUCTURE') == 'SIGNEDBYTE':
            a = a.astype(np.uint8).view(np.int8)
        window = np.transpose(a, (1, 2, 0)).reshape(-1)  # pixel-interleaved
        srs = ds.GetSpatialRef()
        print(json.dumps({
            'size': [ds.RasterXSize, ds.RasterYSize, ds.RasterCount],
            'geotransform': list(ds.GetGeoTransform()),
            'projection': ds.GetProjection(),
            'epsg': int(srs.GetAuthorityCode(None)) if srs is not None and srs.GetAuthorityCode(None) else None,
            'nodata': band.GetNoDataValue(),
            'block': band.GetBlockSize(),
            'interleave': ds.GetMetadataItem('INTERLEAVE', 'IMAGE_STRUCTURE'),
            'compression': ds.GetMetadataItem('COMPRESSION', 'IMAGE_STRUCTURE'),
            'pixeltype': band.GetMetadataItem('PIXELTYPE', 'IMAGE_STRUCTURE'),
            'window': [float(v) for v in window],
        }))
        """;

    private readonly TempDirectory _temp = new("tessera-gdal-py");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(RasterDataType.Float32, GeoTiffInterleave.Band, true, GeoTiffCompression.Deflate)]
    [InlineData(RasterDataType.Byte, GeoTiffInterleave.Pixel, false, GeoTiffCompression.None)]
    [InlineData(RasterDataType.Int8, GeoTiffInterleave.Band, false, GeoTiffCompression.Lzw)]
    public void Python_gdal_reads_the_same_window_layout_and_georeferencing(RasterDataType type, GeoTiffInterleave interleave, bool tiled, GeoTiffCompression compression)
    {
        const int width = 53, height = 37, bands = 128;
        var noData = type == RasterDataType.Float32 ? -9999.0 : 0.0;
        var path = _temp.File($"interop-{type}.tif");
        RasterFixtures.Write(path, type, width, height, bands, new GeoTiffWriteOptions
        {
            Interleave = interleave,
            TileSize = tiled ? (16, 16) : null,
            RowsPerStrip = tiled ? null : 3,
            Compression = compression,
            NoDataValue = noData,
            GeoTransform = RasterFixtures.Transform,
            EpsgCode = 4326,
        });
        using var source = GdalRasterSource.Open(path);
        var (x, y, w, h) = (11, 5, 17, 13);

        var ours = RasterFixtures.Read(source, x, y, w, h);
        var python = Python.RunJson(DescribeScript, path, $"{x}", $"{y}", $"{w}", $"{h}");

        var theirs = python.GetProperty("window").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(-1, RasterFixtures.FirstDifference(theirs, ours));
        Assert.Contains(theirs, v => v != 0);
        Assert.Equal([width, height, bands], python.GetProperty("size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(source.GeoTransform!.Value.ToArray(), python.GetProperty("geotransform").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(python.GetProperty("projection").GetString(), source.SpatialReference!.Wkt);
        Assert.Equal(python.GetProperty("epsg").GetInt32(), source.SpatialReference.EpsgCode);
        Assert.Equal(python.GetProperty("nodata").GetDouble(), source.NoDataValue);
        Assert.Equal([source.BlockSize.Width, source.BlockSize.Height], python.GetProperty("block").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(interleave == GeoTiffInterleave.Band ? "BAND" : "PIXEL", python.GetProperty("interleave").GetString());
        Assert.Equal(compression switch { GeoTiffCompression.Deflate => "DEFLATE", GeoTiffCompression.Lzw => "LZW", _ => null }, StringOrNull(python.GetProperty("compression")));
        Assert.Equal(type == RasterDataType.Int8 ? "SIGNEDBYTE" : null, StringOrNull(python.GetProperty("pixeltype")));
    }

    [Fact]
    public void A_geotiff_written_by_python_gdal_reads_back_its_values()
    {
        const string script = """
            import json, sys
            from osgeo import gdal, osr
            import numpy as np
            drv = gdal.GetDriverByName('GTiff')
            ds = drv.Create(sys.argv[1], 19, 13, 5, gdal.GDT_Float32, ['INTERLEAVE=BAND', 'TILED=YES', 'BLOCKXSIZE=16', 'BLOCKYSIZE=16'])
            ds.SetGeoTransform([300000, 10, 0, 5000000, 0, -10])
            srs = osr.SpatialReference(); srs.ImportFromEPSG(32633)
            ds.SetSpatialRef(srs)
            rng = np.random.default_rng(7)
            a = rng.standard_normal((5, 13, 19)).astype(np.float32)
            for b in range(5):
                ds.GetRasterBand(b + 1).WriteArray(a[b])
            ds = None
            print(json.dumps({'values': [float(v) for v in np.transpose(a, (1, 2, 0)).reshape(-1)]}))
            """;
        var path = _temp.File("from-python.tif");
        var python = Python.RunJson(script, path);
        using var source = GdalRasterSource.Open(path);

        var ours = RasterFixtures.Read(source, 0, 0, 19, 13);

        var theirs = python.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(-1, RasterFixtures.FirstDifference(theirs, ours));
        Assert.Equal(32633, source.SpatialReference?.EpsgCode);
        Assert.Equal(new GeoTransform(300000, 10, 0, 5000000, 0, -10), source.GeoTransform);
    }

    private static string? StringOrNull(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();
}
