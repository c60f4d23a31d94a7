using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Benchmarking;

/// <summary>An <see cref="IRasterSource"/> that adds the time of every window read to the "read" stage.</summary>
internal sealed class TimedRasterSource(IRasterSource inner, StageClock clock) : IRasterSource
{
    public const string ReadStage = "read";

    public string Path => inner.Path;

    public int Width => inner.Width;

    public int Height => inner.Height;

    public int BandCount => inner.BandCount;

    public RasterDataType DataType => inner.DataType;

    public GeoTransform? GeoTransform => inner.GeoTransform;

    public RasterSpatialReference? SpatialReference => inner.SpatialReference;

    public double? NoDataValue => inner.NoDataValue;

    public (int Width, int Height) BlockSize => inner.BlockSize;

    public void ReadWindow<T>(int x, int y, int width, int height, Span<T> destination)
        where T : unmanaged
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        inner.ReadWindow(x, y, width, height, destination);
        clock.Add(ReadStage, System.Diagnostics.Stopwatch.GetElapsedTime(start));
    }

    public void Dispose() => inner.Dispose();
}
