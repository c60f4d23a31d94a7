using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests;

public sealed class MosaicDependencyInjectionTests
{
    [Fact]
    public async Task AddMosaicIndexing_registers_a_mosaic_indexer_that_opens_paths_with_the_registered_raster_factory()
    {
        using var dir = new TempDirectory();
        var path = dir.File("mosaic.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        var factory = new SingleRasterFactory(TestRasters.Bytes(12, 12, 8));
        var services = new ServiceCollection();
        services.AddSingleton<IRasterSourceFactory>(factory);
        services.AddTesseraIndexing().AddMosaicIndexing();
        await using var provider = services.BuildServiceProvider();

        var indexer = provider.GetRequiredService<IMosaicIndexer>();
        var result = await indexer.BuildAsync(path, new MosaicIndexOptions { ViewportId = "di", OutputRoot = dir.File("out"), SamplingFactor = 2, IndexFactory = "Flat" });

        Assert.IsType<MosaicIndexer>(indexer);
        Assert.Equal([path], factory.Opened);
        Assert.Equal(36, result.SampledPixels);
        Assert.True(File.Exists(result.IndexPath));
    }

    [Fact]
    public void An_application_mosaic_indexer_registered_first_wins()
    {
        var services = new ServiceCollection();
        var mine = new MosaicIndexer();
        services.AddSingleton<IMosaicIndexer>(mine);
        services.AddTesseraIndexing().AddMosaicIndexing();
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IMosaicIndexer>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GeoTessera_tiles_and_gdal_rasters_both_open_whichever_of_AddGdal_and_AddMosaicIndexing_comes_first(bool gdalFirst)
    {
        var services = new ServiceCollection();
        var tessera = services.AddTesseraIndexing();
        if (gdalFirst)
        {
            tessera.AddGdal().AddMosaicIndexing();
        }
        else
        {
            tessera.AddMosaicIndexing().AddGdal();
        }

        using var provider = services.BuildServiceProvider();
        var indexer = Assert.IsType<MosaicIndexer>(provider.GetRequiredService<IMosaicIndexer>());

        Assert.Equal([typeof(GdalRasterSourceFactory), typeof(GeoTesseraTileSourceFactory)], indexer.RasterSourceFactories.Select(f => f.GetType()));
        Assert.IsType<GdalRasterSourceFactory>(provider.GetRequiredService<IRasterSourceFactory>());
        Assert.IsType<GeoTesseraTileSourceFactory>(provider.GetRequiredKeyedService<IRasterSourceFactory>(GeoTesseraTileSourceFactory.ServiceKey));
    }

    [Fact]
    public void Without_dependency_injection_the_given_factory_is_tried_first_and_geotessera_tiles_still_open()
    {
        var gdal = new GdalRasterSourceFactory();

        Assert.Equal([typeof(GeoTesseraTileSourceFactory)], new MosaicIndexer().RasterSourceFactories.Select(f => f.GetType()));
        var factories = new MosaicIndexer(rasterSourceFactory: gdal).RasterSourceFactories;
        Assert.Equal(2, factories.Count);
        Assert.Same(gdal, factories[0]);
        Assert.IsType<GeoTesseraTileSourceFactory>(factories[1]);
    }

    [Fact]
    public void A_bound_mosaic_index_setting_out_of_range_fails_validation_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddMosaicIndexing();
        using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<IValidateOptions<MosaicIndexOptions>>();

        var result = validator.Validate(null, new MosaicIndexOptions { SamplingFactor = 0, TrainSize = 0 });

        Assert.True(result.Failed);
        Assert.Contains("(SamplingFactor)", result.FailureMessage);
        Assert.Contains("(TrainSize)", result.FailureMessage);
        Assert.DoesNotContain("ViewportId", result.FailureMessage);
    }

    private sealed class SingleRasterFactory(InMemoryRaster<byte> raster) : IRasterSourceFactory
    {
        public List<string> Opened { get; } = [];

        public IRasterSource Open(string path)
        {
            Opened.Add(path);
            return raster;
        }
    }
}
