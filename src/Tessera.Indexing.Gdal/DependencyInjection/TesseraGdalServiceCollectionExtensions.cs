using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Gdal.Diagnostics;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Rasters;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Gdal's services.</summary>
public static class TesseraGdalServiceCollectionExtensions
{
    /// <summary>
    /// Uses GDAL to open rasters (<see cref="IRasterSourceFactory"/> → <see cref="GdalRasterSourceFactory"/>)
    /// to decode images (<see cref="IImageDecoder"/> → <see cref="GdalImageDecoder"/>, configured through
    /// <see cref="GdalImageDecoderOptions"/>) and to transform coordinates between CRSs
    /// (<see cref="ICoordinateTransformFactory"/> → <see cref="GdalCoordinateTransformFactory"/>, OSR in
    /// traditional GIS axis order). Registered with <c>TryAdd</c>: an application's own
    /// registration, before or after, wins.
    /// </summary>
    /// <param name="builder">The builder from <c>AddTesseraIndexing()</c>.</param>
    /// <param name="configureImages">Changes the image decoder's settings; <see langword="null"/> keeps the defaults.</param>
    /// <returns>The same builder.</returns>
    public static ITesseraIndexingBuilder AddGdal(this ITesseraIndexingBuilder builder, Action<GdalImageDecoderOptions>? configureImages = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<GdalImageDecoderOptions>();
        if (configureImages is not null)
        {
            options.Configure(configureImages);
        }

        options.Validate(o => o.HttpTimeout > TimeSpan.Zero && o.HttpConnectTimeout > TimeSpan.Zero, "GdalImageDecoderOptions.HttpTimeout and HttpConnectTimeout must be positive.")
            .Validate(o => o.HttpMaxRetries >= 0, "GdalImageDecoderOptions.HttpMaxRetries must not be negative.")
            .Validate(o => o.MaxPixels > 0, "GdalImageDecoderOptions.MaxPixels must be positive.")
            .Validate(o => o.AllowedDrivers.Count > 0, "GdalImageDecoderOptions.AllowedDrivers must name at least one GDAL driver.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IRasterSourceFactory, GdalRasterSourceFactory>();
        builder.Services.TryAddSingleton<IImageDecoder, GdalImageDecoder>();
        builder.Services.TryAddSingleton<ICoordinateTransformFactory, GdalCoordinateTransformFactory>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INativeComponentDiagnostics, GdalComponentDiagnostics>());
        return builder;
    }
}
