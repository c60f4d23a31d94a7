using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Gdal.Images;

/// <summary>
/// The source window and output size of one resize-and-crop read. Scaling follows torchvision's
/// <c>Resize(int)</c>: the shorter side becomes <see cref="ImageDecodeOptions.ShortestSide"/> and the
/// longer side <c>floor(S * long / short)</c>; the crop is centred with <c>round((scaled - crop) / 2)</c>
/// (half to even, like Python's <c>round</c>). The crop is mapped back to a fractional source window,
/// so GDAL resamples exactly the pixels that end up in the output.
/// </summary>
/// <param name="SourceX">Left of the source window, in source pixels (fractional).</param>
/// <param name="SourceY">Top of the source window.</param>
/// <param name="SourceWidth">Width of the source window.</param>
/// <param name="SourceHeight">Height of the source window.</param>
/// <param name="ScaledWidth">Width of the whole image after scaling, before the crop.</param>
/// <param name="ScaledHeight">Height after scaling.</param>
/// <param name="OutputWidth">Width of the decoded image.</param>
/// <param name="OutputHeight">Height of the decoded image.</param>
internal readonly record struct ImageReadPlan(
    double SourceX,
    double SourceY,
    double SourceWidth,
    double SourceHeight,
    int ScaledWidth,
    int ScaledHeight,
    int OutputWidth,
    int OutputHeight)
{
    /// <summary>Whether the output is the source at 1:1 (no resampling).</summary>
    public bool IsIdentityScale(int sourceWidth, int sourceHeight) => ScaledWidth == sourceWidth && ScaledHeight == sourceHeight;

    /// <summary>The integer window GDAL needs besides the fractional one (as GDAL's own Python bindings round it).</summary>
    public (int X, int Y, int Width, int Height) IntegerWindow(int sourceWidth, int sourceHeight)
    {
        var x = Math.Clamp((int)(SourceX + 0.5), 0, sourceWidth - 1);
        var y = Math.Clamp((int)(SourceY + 0.5), 0, sourceHeight - 1);
        var width = Math.Clamp((int)(SourceWidth + 0.5), 1, sourceWidth - x);
        var height = Math.Clamp((int)(SourceHeight + 0.5), 1, sourceHeight - y);
        return (x, y, width, height);
    }

    /// <summary>Plans the read, or returns <see langword="null"/> with a reason when the crop is larger than the scaled image.</summary>
    public static ImageReadPlan? Create(int width, int height, ImageDecodeOptions? options, out string? reason)
    {
        reason = null;
        int scaledWidth = width, scaledHeight = height;
        if (options?.ShortestSide is { } side)
        {
            if (width <= height)
            {
                scaledWidth = side;
                scaledHeight = Math.Max(1, (int)((long)side * height / width));
            }
            else
            {
                scaledHeight = side;
                scaledWidth = Math.Max(1, (int)((long)side * width / height));
            }
        }

        var cropWidth = options?.CropWidth ?? scaledWidth;
        var cropHeight = options?.CropHeight ?? scaledHeight;
        if (cropWidth > scaledWidth || cropHeight > scaledHeight)
        {
            reason = $"the {width}x{height} image scaled to {scaledWidth}x{scaledHeight} is smaller than the {cropWidth}x{cropHeight} crop";
            return null;
        }

        var left = Math.Round((scaledWidth - cropWidth) / 2.0, MidpointRounding.ToEven);
        var top = Math.Round((scaledHeight - cropHeight) / 2.0, MidpointRounding.ToEven);
        var scaleX = (double)width / scaledWidth;
        var scaleY = (double)height / scaledHeight;
        return new ImageReadPlan(left * scaleX, top * scaleY, cropWidth * scaleX, cropHeight * scaleY, scaledWidth, scaledHeight, cropWidth, cropHeight);
    }

    /// <summary>Throws when options ask for an empty size.</summary>
    public static void Validate(ImageDecodeOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.ShortestSide is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ShortestSide, "ShortestSide must be at least 1.");
        }

        if (options.CropWidth is < 1 || options.CropHeight is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CropWidth and CropHeight must be at least 1.");
        }
    }
}
