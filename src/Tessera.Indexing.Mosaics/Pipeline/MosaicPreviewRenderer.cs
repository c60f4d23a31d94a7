using Tessera.Indexing.Imaging;
using Tessera.Indexing.Mosaics.Building;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// A mosaic's preview, drawn straight from the raster (before any viewport exists): bands 1–3 of
/// every factor-th pixel of every factor-th row, as the indexer converts them (Byte ÷ 255, Int8 ×
/// scale, Float32 as is), stretched like a viewport's preview (<see cref="PreviewStretch"/>);
/// nodata pixels, by the indexer's rule, are dark grey.
/// </summary>
internal static class MosaicPreviewRenderer
{
    public static (RgbImage Image, int Factor) Render(IRasterSource source, int maxSize, IProgress<double>? progress, CancellationToken cancellationToken) => source.DataType switch
    {
        RasterDataType.Byte => Render<byte>(source, maxSize, progress, cancellationToken),
        RasterDataType.Int8 => Render<sbyte>(source, maxSize, progress, cancellationToken),
        RasterDataType.Float32 => Render<float>(source, maxSize, progress, cancellationToken),
        _ => throw new NotSupportedException($"A preview of a {source.DataType} mosaic is not supported."),
    };

    private static (RgbImage Image, int Factor) Render<T>(IRasterSource source, int maxSize, IProgress<double>? progress, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var width = source.Width;
        var bands = source.BandCount;
        var (factor, outWidth, outHeight) = PreviewStretch.Reduce(width, source.Height, maxSize);
        var scaled = typeof(T) == typeof(sbyte) ? source as IScaledRasterSource : null;
        var scales = scaled is null ? null : new float[width];
        var noData = new NoDataTest(source.NoDataValue);
        var row = new T[width * bands];
        var vector = new float[bands];
        var channels = new float[outWidth * outHeight * 3];
        var hasData = new bool[outWidth * outHeight];
        for (var oy = 0; oy < outHeight; oy++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            source.ReadWindow<T>(0, oy * factor, width, 1, row);
            scaled?.ReadScales(0, oy * factor, width, 1, scales);
            for (var ox = 0; ox < outWidth; ox++)
            {
                var pixel = row.AsSpan(ox * factor * bands, bands);
                var scale = scales is null ? 1f : scales[ox * factor];
                if (noData.IsNoData<T>(pixel, scale))
                {
                    continue;
                }

                VectorConversion.ToVectors<T>(pixel, scales is null ? default : new ReadOnlySpan<float>(in scale), vector);
                var i = (oy * outWidth) + ox;
                hasData[i] = true;
                for (var c = 0; c < 3; c++)
                {
                    channels[(i * 3) + c] = vector[Math.Min(c, bands - 1)];
                }
            }

            progress?.Report((oy + 1.0) / outHeight);
        }

        return (PreviewStretch.ToImage(outWidth, outHeight, channels, hasData), factor);
    }
}
