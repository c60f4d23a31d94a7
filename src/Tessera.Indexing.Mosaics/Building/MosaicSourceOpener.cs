using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Opens a mosaic by path with the first of the registered <see cref="IRasterSourceFactory"/>s that
/// reads it (in registration order: for example GDAL's for GeoTIFFs, then GeoTessera's for
/// <c>grid_X_Y.npy</c> tiles), and turns every failure into a <see cref="MosaicIndexException"/>.
/// </summary>
/// <remarks>
/// A factory that throws <see cref="NotSupportedException"/> does not handle that kind of path at
/// all and is passed over silently; <see cref="InvalidDataException"/> and other failures are
/// reported, together, when no factory opens the file; a <see cref="FileNotFoundException"/> (a
/// companion file, such as a tile's scales, is missing) wins over them.
/// </remarks>
internal sealed class MosaicSourceOpener(IReadOnlyList<IRasterSourceFactory> factories)
{
    public IReadOnlyList<IRasterSourceFactory> Factories { get; } = factories;

    public IRasterSource Open(string mosaicPath)
    {
        if (string.IsNullOrWhiteSpace(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, "No mosaic file was given.");
        }

        var isVirtual = mosaicPath.StartsWith("/vsi", StringComparison.Ordinal);
        if (!isVirtual && Directory.Exists(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{mosaicPath}' is a folder, not a mosaic file.");
        }

        if (!isVirtual && !File.Exists(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, $"Mosaic file '{mosaicPath}' does not exist.");
        }

        var failures = new List<Exception>();
        FileNotFoundException? missing = null;
        foreach (var factory in Factories)
        {
            try
            {
                return factory.Open(mosaicPath);
            }
            catch (NotSupportedException)
            {
                // Not this factory's kind of file.
            }
            catch (FileNotFoundException e)
            {
                missing ??= e;
            }
            catch (Exception e) when (e is not MosaicIndexException and not OperationCanceledException and not OutOfMemoryException)
            {
                failures.Add(e);
            }
        }

        if (missing is not null)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, missing.Message, missing);
        }

        if (failures.Count > 0)
        {
            var reasons = string.Join("; ", failures.Select(e => e.Message));
            throw new MosaicIndexException(
                MosaicIndexErrorKind.NotARaster,
                $"'{mosaicPath}' is not a readable raster: {reasons}",
                failures.Count == 1 ? failures[0] : new AggregateException(failures));
        }

        throw new MosaicIndexException(
            MosaicIndexErrorKind.NotARaster,
            $"No raster reader is registered to open '{mosaicPath}': add GDAL (services.AddTesseraIndexing().AddGdal().AddMosaicIndexing()) or pass an IRasterSourceFactory.");
    }
}
