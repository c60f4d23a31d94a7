using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Tests.DependencyInjection;

public sealed class TesseraGdalServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGdal_registers_the_gdal_raster_source_factory()
    {
        var services = new ServiceCollection();
        var builder = services.AddTesseraIndexing().AddGdal();

        using var provider = services.BuildServiceProvider();

        Assert.Same(services, builder.Services);
        Assert.IsType<GdalRasterSourceFactory>(provider.GetRequiredService<IRasterSourceFactory>());
    }

    [Fact]
    public void A_raster_factory_registered_by_the_application_wins()
    {
        var services = new ServiceCollection();
        var mine = new NullFactory();
        services.AddSingleton<IRasterSourceFactory>(mine);
        services.AddTesseraIndexing().AddGdal();

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IRasterSourceFactory>());
        Assert.Single(services, s => s.ServiceType == typeof(IRasterSourceFactory));
    }

    private sealed class NullFactory : IRasterSourceFactory
    {
        public IRasterSource Open(string path) => throw new NotSupportedException();
    }
}
