using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests;

public sealed class MosaicDependencyInjectionTests
{
    [Fact]
    public async Task AddTesseraIndexing_registers_a_mosaic_indexer_that_opens_paths_with_the_registered_raster_factory()
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
