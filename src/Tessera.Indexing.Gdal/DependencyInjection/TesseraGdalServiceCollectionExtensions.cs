using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Gdal's services.</summary>
public static class TesseraGdalServiceCollectionExtensions
{
    /// <summary>
    /// Uses GDAL to open rasters (<see cref="IRasterSourceFactory"/> → <see cref="GdalRasterSourceFactory"/>).
    /// Registered with <c>TryAdd</c>: an application's own registration, before or after, wins.
    /// </summary>
    /// <param name="builder">The builder from <c>AddTesseraIndexing()</c>.</param>
    /// <returns>The same builder.</returns>
    public static ITesseraIndexingBuilder AddGdal(this ITesseraIndexingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IRasterSourceFactory, GdalRasterSourceFactory>();
        return builder;
    }
}
