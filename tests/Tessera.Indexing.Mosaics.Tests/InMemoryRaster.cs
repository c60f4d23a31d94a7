using System.Runtime.InteropServices;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Tests;

/// <summary>
/// A raster held in memory (pixel-interleaved), or generated on demand, for unit tests of the mosaic
/// build without GDAL. Records every window read.
/// </summary>
internal sealed class InMemoryRaster<T> : IRasterSource
    where T : unmanaged
{
    private readonly T[]? _data;
    private readonly Func<long, int, T>? _generator;

    public InMemoryRaster(int width, int height, int bands, T[] data, RasterDataType dataType)
        : this(width, height, bands, dataType)
    {
        Assert.Equal((long)width * height * bands, data.Length);
        _data = data;
    }

    /// <summary>A raster whose value of band <c>b</c> at linear pixel <c>p</c> is <c>generator(p, b)</c>.</summary>
    public InMemoryRaster(int width, int height, int bands, Func<long, int, T> generator, RasterDataType dataType)
        : this(width, height, bands, dataType)
    {
        _generator = generator;
    }

    private InMemoryRaster(int width, int height, int bands, RasterDataType dataType)
    {
        Width = width;
        Height = height;
        BandCount = bands;
        DataType = dataType;
    }

    public string Path { get; init; } = "memory://test-raster";

    public int Width { get; }

    public int Height { get; }

    public int BandCount { get; }

    public RasterDataType DataType { get; }

    public GeoTransform? GeoTransform { get; init; } = new GeoTransform(77.5566, 0.0001, 0, 13.1039, 0, -0.0001);

    public RasterSpatialReference? SpatialReference { get; init; } = new("GEOGCS[\"WGS 84\"]", 4326);

    public double? NoDataValue { get; init; }

    public (int Width, int Height) BlockSize { get; init; } = (16, 4);

    public List<(int X, int Y, int Width, int Height)> Reads { get; } = [];

    public T[] Data => _data ?? throw new InvalidOperationException("A generated raster has no array.");

    public T Value(long pixel, int band) => _data is not null ? _data[(pixel * BandCount) + band] : _generator!(pixel, band);

    public void ReadWindow<TOut>(int x, int y, int width, int height, Span<TOut> destination)
        where TOut : unmanaged
    {
        Assert.True(x >= 0 && y >= 0 && x + width <= Width && y + height <= Height, $"window {x},{y} {width}x{height} outside {Width}x{Height}");
        Assert.True(destination.Length >= width * height * BandCount);
        if (typeof(TOut) != typeof(T))
        {
            throw new NotSupportedException($"InMemoryRaster<{typeof(T).Name}> reads only as {typeof(T).Name}.");
        }

        lock (Reads)
        {
            Reads.Add((x, y, width, height));
        }

        var target = MemoryMarshal.Cast<TOut, T>(destination);
        for (var r = 0; r < height; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var pixel = ((long)(y + r) * Width) + x + c;
                var offset = ((r * width) + c) * BandCount;
                if (_data is not null)
                {
                    _data.AsSpan((int)(pixel * BandCount), BandCount).CopyTo(target.Slice(offset, BandCount));
                }
                else
                {
                    for (var b = 0; b < BandCount; b++)
                    {
                        target[offset + b] = _generator!(pixel, b);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
    }
}
