using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Imaging;
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
    public void AddGdal_registers_gdals_coordinate_transforms_unless_the_application_has_its_own()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal();
        using (var provider = services.BuildServiceProvider())
        {
            Assert.IsType<GdalCoordinateTransformFactory>(provider.GetRequiredService<ICoordinateTransformFactory>());
        }

        var mine = new ServiceCollection();
        var own = new GdalCoordinateTransformFactory();
        mine.AddSingleton<ICoordinateTransformFactory>(own);
        mine.AddTesseraIndexing().AddGdal();
        using var other = mine.BuildServiceProvider();
        Assert.Same(own, other.GetRequiredService<ICoordinateTransformFactory>());
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

    [Fact]
    public void AddGdal_registers_the_gdal_image_decoder_with_configured_options()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal(o => o.MaxPixels = 10);

        using var provider = services.BuildServiceProvider();

        var decoder = Assert.IsType<GdalImageDecoder>(provider.GetRequiredService<IImageDecoder>());
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(Images.ImageFixtures.Encode("PNG", 4, 4, 3, new byte[48])));
        Assert.Contains("more than the 10 pixels allowed", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_image_setting_fails_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddGdal(o => o.HttpMaxRetries = -1);

        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GdalImageDecoderOptions>>().Value);
        Assert.Contains("HttpMaxRetries", error.Message, StringComparison.Ordinal);
    }

    private sealed class NullFactory : IRasterSourceFactory
    {
        public IRasterSource Open(string path) => throw new NotSupportedException();
    }
}
