using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Embeddings;

namespace Tessera.Indexing.Onnx.Preprocessing;

/// <summary>
/// CLIP-style image preprocessing into one NCHW float32 image: resize so the shortest side is
/// <see cref="ShortestSide"/> (Pillow's bilinear or bicubic filter, antialiased when reducing; skipped when the image
/// already has that size), centre crop to <see cref="CropSize"/> × <see cref="CropSize"/>, scale to [0, 1], subtract the mean and
/// divide by the standard deviation per channel. Only the cropped window is resampled. Stateless and thread-safe;
/// scratch memory comes from <see cref="ArrayPool{T}"/>.
/// </summary>
internal sealed class ClipPreprocessor
{
    private readonly float[] _scale = new float[3];
    private readonly float[] _offset = new float[3];

    public ClipPreprocessor(int shortestSide, int cropSize, ReadOnlySpan<float> mean, ReadOnlySpan<float> std, ImageResizeFilter filter = ImageResizeFilter.Bilinear)
    {
        Filter = filter;
        ArgumentOutOfRangeException.ThrowIfLessThan(cropSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortestSide, cropSize);
        if (mean.Length != 3 || std.Length != 3)
        {
            throw new ArgumentException("Mean and standard deviation need three values (R, G, B).");
        }

        ShortestSide = shortestSide;
        CropSize = cropSize;
        for (var c = 0; c < 3; c++)
        {
            if (!(std[c] > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(std), "Every standard deviation must be positive.");
            }

            // (v / 255 - mean) / std  ==  v * scale + offset
            _scale[c] = 1f / (255f * std[c]);
            _offset[c] = -mean[c] / std[c];
        }
    }

    /// <summary>The length of the shortest side after resizing.</summary>
    public int ShortestSide { get; }

    /// <summary>The resampling filter.</summary>
    public ImageResizeFilter Filter { get; }

    /// <summary>The side of the square crop.</summary>
    public int CropSize { get; }

    /// <summary>Floats per image: <c>3 · CropSize²</c>.</summary>
    public int OutputLength => 3 * CropSize * CropSize;

    /// <summary>The size after resizing <paramref name="width"/> × <paramref name="height"/> so its shortest side is <paramref name="shortestSide"/> (the long side is truncated, as torchvision and Hugging Face do).</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int shortestSide)
    {
        if (width <= height)
        {
            return (shortestSide, (int)((long)shortestSide * height / width));
        }

        return ((int)((long)shortestSide * width / height), shortestSide);
    }

    /// <summary>Preprocesses <paramref name="image"/> into <paramref name="destination"/> (<see cref="OutputLength"/> floats, planes R, G, B).</summary>
    public void Process(RgbImage image, Span<float> destination) =>
        Process(image.Pixels.Span, image.Width, image.Height, destination);

    /// <summary>Preprocesses interleaved RGB pixels into <paramref name="destination"/> (<see cref="OutputLength"/> floats, planes R, G, B).</summary>
    public void Process(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for a {width}x{height} RGB image, got {rgb.Length}.", nameof(rgb));
        }

        if (destination.Length < OutputLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; {OutputLength} are needed.", nameof(destination));
        }

        var (resizedWidth, resizedHeight) = ResizedSize(width, height, ShortestSide);
        var left = (int)Math.Round((resizedWidth - CropSize) / 2.0, MidpointRounding.ToEven);
        var top = (int)Math.Round((resizedHeight - CropSize) / 2.0, MidpointRounding.ToEven);
        if (resizedWidth == width && resizedHeight == height)
        {
            CropOnly(rgb, width, left, top, destination);
        }
        else
        {
            ResizeAndCrop(rgb, width, height, resizedWidth, resizedHeight, left, top, destination);
        }
    }

    private void CropOnly(ReadOnlySpan<byte> rgb, int width, int left, int top, Span<float> destination)
    {
        var c = CropSize;
        var plane = c * c;
        for (var y = 0; y < c; y++)
        {
            var row = rgb.Slice((((top + y) * width) + left) * 3, c * 3);
            PixelConversion.DeinterleaveScaled(
                row,
                destination.Slice(y * c, c),
                destination.Slice(plane + (y * c), c),
                destination.Slice((2 * plane) + (y * c), c),
                _scale,
                _offset);
        }
    }

    private void ResizeAndCrop(ReadOnlySpan<byte> rgb, int width, int height, int resizedWidth, int resizedHeight, int left, int top, Span<float> destination)
    {
        var c = CropSize;
        var plane = c * c;
        var xTaps = Resampling.MaxTaps(width, resizedWidth, Filter);
        var yTaps = Resampling.MaxTaps(height, resizedHeight, Filter);
        var clamp = Filter == ImageResizeFilter.Bicubic;
        var ints = ArrayPool<int>.Shared.Rent(4 * c);
        var weights = ArrayPool<float>.Shared.Rent(c * (xTaps + yTaps));
        float[]? rows = null;
        float[]? line = null;
        try
        {
            var xStarts = ints.AsSpan(0, c);
            var xCounts = ints.AsSpan(c, c);
            var yStarts = ints.AsSpan(2 * c, c);
            var yCounts = ints.AsSpan(3 * c, c);
            var xWeights = weights.AsSpan(0, c * xTaps);
            var yWeights = weights.AsSpan(c * xTaps, c * yTaps);
            Resampling.Compute(width, resizedWidth, left, xStarts, xCounts, xWeights, xTaps, Filter);
            Resampling.Compute(height, resizedHeight, top, yStarts, yCounts, yWeights, yTaps, Filter);

            var (x0, x1) = Span(xStarts, xCounts);
            var (y0, y1) = Span(yStarts, yCounts);
            var rowCount = y1 - y0;

            // Horizontal pass over the source rows the crop touches, into three planes of rowCount × c floats.
            rows = ArrayPool<float>.Shared.Rent(3 * rowCount * c);
            // One float of padding: the horizontal kernel reads whole 4-lane vectors (R, G, B and the next pixel's R).
            line = ArrayPool<float>.Shared.Rent(((x1 - x0) * 3) + 1);
            var redRows = rows.AsSpan(0, rowCount * c);
            var greenRows = rows.AsSpan(rowCount * c, rowCount * c);
            var blueRows = rows.AsSpan(2 * rowCount * c, rowCount * c);
            var lineSpan = line.AsSpan(0, ((x1 - x0) * 3) + 1);
            lineSpan[^1] = 0f;
            for (var y = y0; y < y1; y++)
            {
                PixelConversion.ToSingle(rgb.Slice(((y * width) + x0) * 3, (x1 - x0) * 3), lineSpan);
                var outRow = (y - y0) * c;
                HorizontalPass(
                    lineSpan,
                    x0,
                    xStarts,
                    xCounts,
                    xWeights,
                    xTaps,
                    redRows.Slice(outRow, c),
                    greenRows.Slice(outRow, c),
                    blueRows.Slice(outRow, c));
            }

            if (clamp)
            {
                // Bicubic weights go negative and can overshoot: keep each pass within 8-bit range, as Pillow does.
                ClampToByteRange(rows.AsSpan(0, 3 * rowCount * c));
            }

            // Vertical pass, vectorised across the row, with the normalisation folded into the weights
            // (or applied after clamping, for bicubic).
            for (var y = 0; y < c; y++)
            {
                var start = yStarts[y] - y0;
                var w = yWeights.Slice(y * yTaps, yCounts[y]);
                VerticalPass(redRows, start, w, _scale[0], _offset[0], clamp, destination.Slice(y * c, c));
                VerticalPass(greenRows, start, w, _scale[1], _offset[1], clamp, destination.Slice(plane + (y * c), c));
                VerticalPass(blueRows, start, w, _scale[2], _offset[2], clamp, destination.Slice((2 * plane) + (y * c), c));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<float>.Shared.Return(weights);
            if (rows is not null)
            {
                ArrayPool<float>.Shared.Return(rows);
            }

            if (line is not null)
            {
                ArrayPool<float>.Shared.Return(line);
            }
        }
    }

    /// <summary>
    /// One source row (interleaved floats, padded by one) resampled to <c>c</c> outputs per channel: per tap, one
    /// 4-lane multiply-add covers R, G and B together.
    /// </summary>
    private static void HorizontalPass(
        ReadOnlySpan<float> line,
        int x0,
        ReadOnlySpan<int> starts,
        ReadOnlySpan<int> counts,
        ReadOnlySpan<float> weights,
        int maxTaps,
        Span<float> red,
        Span<float> green,
        Span<float> blue)
    {
        ref var lineRef = ref MemoryMarshal.GetReference(line);
        ref var weightRef = ref MemoryMarshal.GetReference(weights);
        var lastSafe = line.Length - Vector128<float>.Count;
        for (var x = 0; x < red.Length; x++)
        {
            var p = (starts[x] - x0) * 3;
            var n = counts[x];
            if (p + ((n - 1) * 3) > lastSafe)
            {
                throw new InvalidOperationException("Resampling window outside the source row.");
            }

            ref var w = ref Unsafe.Add(ref weightRef, x * maxTaps);
            var acc = Vector128<float>.Zero;
            for (var k = 0; k < n; k++)
            {
                acc += Vector128.LoadUnsafe(ref lineRef, (nuint)(p + (k * 3))) * Vector128.Create(Unsafe.Add(ref w, k));
            }

            red[x] = acc.GetElement(0);
            green[x] = acc.GetElement(1);
            blue[x] = acc.GetElement(2);
        }
    }

    private static (int Start, int End) Span(ReadOnlySpan<int> starts, ReadOnlySpan<int> counts)
    {
        int start = int.MaxValue, end = 0;
        for (var i = 0; i < starts.Length; i++)
        {
            start = Math.Min(start, starts[i]);
            end = Math.Max(end, starts[i] + counts[i]);
        }

        return (start, end);
    }

    private static void VerticalPass(ReadOnlySpan<float> planeRows, int startRow, ReadOnlySpan<float> weights, float scale, float offset, bool clamp, Span<float> destination)
    {
        var c = destination.Length;
        var weightScale = clamp ? 1f : scale;
        TensorPrimitives.Multiply(planeRows.Slice(startRow * c, c), weights[0] * weightScale, destination);
        for (var k = 1; k < weights.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(planeRows.Slice((startRow + k) * c, c), weights[k] * weightScale, destination, destination);
        }

        if (clamp)
        {
            ClampToByteRange(destination);
            TensorPrimitives.Multiply(destination, scale, destination);
        }

        TensorPrimitives.Add(destination, offset, destination);
    }

    private static void ClampToByteRange(Span<float> values)
    {
        TensorPrimitives.Max(values, 0f, values);
        TensorPrimitives.Min(values, 255f, values);
    }
}
