using System.Text.Json;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Mosaics;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_writes_a_georeferenced_synthetic_mosaic_with_a_nodata_corner_and_indexes_it()
    {
        using var dir = new TempDirectory();

        var result = TesseraCli.Run(["demo", "--size", "128", "--bands", "32", "--index", "IVF8,Flat", "--out", dir.Path, "--json"]);

        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("built", json.GetProperty("status").GetString());
        Assert.Equal(128 * 128, json.GetProperty("num_total_pixels").GetInt64());
        Assert.True(json.GetProperty("nodata_pixels").GetInt64() > 0, "the demo mosaic has a nodata corner");
        var mosaic = json.GetProperty("mosaic").GetString()!;
        var py = Python.RunJson("""
            import sys, json, numpy as np
            from osgeo import gdal
            ds = gdal.Open(sys.argv[1])
            # Spatially smooth classes: neighbouring pixels differ far less than distant ones (uniform noise: equally).
            img = ds.ReadAsArray().astype(np.float64)
            neighbour = np.abs(img[:, 60:, 61:] - img[:, 60:, 60:-1]).mean()
            far = np.abs(img[:, 60:, 60:] - img[:, 60:, 60:][:, ::-1, ::-1]).mean()
            print(json.dumps({"epsg": ds.GetSpatialRef().GetAuthorityCode(None), "gt": list(ds.GetGeoTransform()),
                              "bands": ds.RasterCount, "dtype": gdal.GetDataTypeName(ds.GetRasterBand(1).DataType),
                              "neighbour": neighbour, "far": far}))
            """, mosaic);
        Assert.Equal("4326", py.GetProperty("epsg").GetString());
        Assert.Equal(32, py.GetProperty("bands").GetInt32());
        Assert.Equal("Byte", py.GetProperty("dtype").GetString());
        Assert.Equal(77.5566, py.GetProperty("gt")[0].GetDouble());
        Assert.True(py.GetProperty("far").GetDouble() > 2 * py.GetProperty("neighbour").GetDouble(), "the mosaic is spatially smooth, not uniform noise");
    }

    [Fact]
    public void A_second_demo_reuses_the_mosaic_and_finds_the_viewport_cached()
    {
        using var dir = new TempDirectory();
        string[] args = ["demo", "--size", "64", "--bands", "16", "--index", "Flat", "--out", dir.Path, "--json"];
        Assert.Equal(0, TesseraCli.Run(args).ExitCode);

        var second = TesseraCli.Run(args);

        Assert.Equal(0, second.ExitCode);
        var json = JsonDocument.Parse(second.StandardOutput).RootElement;
        Assert.Equal("cached", json.GetProperty("status").GetString());
        Assert.False(json.TryGetProperty("mosaic_generation_seconds", out _), "the mosaic was regenerated");
    }
}
