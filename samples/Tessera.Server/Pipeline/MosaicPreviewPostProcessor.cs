using Microsoft.Extensions.Options;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Rasters;

namespace Tessera.Server.Pipeline;

/// <summary>
/// The <c>preview</c> feature (the seed's pyramids, reduced to one level): reads the mosaic's bands
/// 1–3 through GDAL, every factor-th pixel, stretches each between its 2nd and 98th percentile and
/// writes <c>{PreviewsRoot}/{viewport_id}.png</c>. Runs in parallel with index creation; a preview
/// newer than its mosaic is kept.
/// </summary>
internal sealed class MosaicPreviewPostProcessor(IRasterSourceFactory rasters, IOptions<ServerOptions> options, IHostEnvironment environment) : IViewportPostProcessor
{
    private const int MaxSize = 1024;

    public string Feature => "preview";

    public string RunningMessage => "Creating preview...";

    public Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var path = PreviewPath(context.ViewportId);
        if (!context.Job.Force && File.Exists(path) && File.GetLastWriteTimeUtc(path) >= File.GetLastWriteTimeUtc(context.MosaicPath))
        {
            return Task.FromResult(ViewportFeatureOutcome.Cached);
        }

        using var source = rasters.Open(context.MosaicPath);
        var factor = Math.Max(1, (Math.Max(source.Width, source.Height) + MaxSize - 1) / MaxSize);
        var outWidth = (source.Width + factor - 1) / factor;
        var outHeight = (source.Height + factor - 1) / factor;
        var bands = source.BandCount;
        var values = new float[outWidth * outHeight * 3];
        var hasData = new bool[outWidth * outHeight];
        var row = new float[source.Width * bands];
        var bytes = source.DataType == RasterDataType.Byte ? new byte[source.Width * bands] : null;
        for (var oy = 0; oy < outHeight; oy++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (bytes is not null)
            {
                source.ReadWindow<byte>(0, oy * factor, source.Width, 1, bytes);
                for (var i = 0; i < bytes.Length; i++)
                {
                    row[i] = bytes[i];
                }
            }
            else if (source.DataType == RasterDataType.Float32)
            {
                source.ReadWindow<float>(0, oy * factor, source.Width, 1, row);
            }
            else
            {
                throw new NotSupportedException($"A preview of a {source.DataType} mosaic is not supported.");
            }

            for (var ox = 0; ox < outWidth; ox++)
            {
                var pixel = ox * factor * bands;
                var i = (oy * outWidth) + ox;
                for (var c = 0; c < 3; c++)
                {
                    var v = row[pixel + Math.Min(c, bands - 1)];
                    values[(i * 3) + c] = v;
                    hasData[i] |= v != 0;
                }
            }

            progress.Report((oy + 1.0) / outHeight);
        }

        var pixels = new byte[values.Length];
        for (var c = 0; c < 3; c++)
        {
            var channel = new List<float>();
            for (var i = 0; i < hasData.Length; i++)
            {
                if (hasData[i])
                {
                    channel.Add(values[(i * 3) + c]);
                }
            }

            channel.Sort();
            var low = channel.Count > 0 ? channel[(int)(0.02 * (channel.Count - 1))] : 0;
            var high = channel.Count > 0 ? channel[(int)(0.98 * (channel.Count - 1))] : 1;
            var range = high > low ? high - low : 1;
            for (var i = 0; i < hasData.Length; i++)
            {
                pixels[(i * 3) + c] = hasData[i] ? (byte)Math.Clamp(MathF.Round((values[(i * 3) + c] - low) / range * 255), 0, 255) : (byte)32;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        GdalPngWriter.Write(temporary, outWidth, outHeight, 3, pixels);
        File.Move(temporary, path, overwrite: true);
        return Task.FromResult(ViewportFeatureOutcome.Completed);
    }

    public Task ValidateAsync(ViewportJobContext context, CancellationToken cancellationToken) =>
        File.Exists(PreviewPath(context.ViewportId)) ? Task.CompletedTask : throw new FileNotFoundException("The preview PNG is missing.", PreviewPath(context.ViewportId));

    private string PreviewPath(string viewportId) =>
        Path.Combine(Path.GetFullPath(options.Value.PreviewsRoot, environment.ContentRootPath), viewportId + ".png");
}
