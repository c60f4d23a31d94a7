using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Benchmarks.Gdal;

/// <summary>
/// Reading a 128-band GeoTIFF window by window (64-row blocks, as the mosaic indexer streams it) into a
/// pixel-interleaved buffer: one <c>GDALDatasetRasterIOEx</c> call per window with pixel/line/band
/// spacing (<see cref="GdalRasterSource.ReadWindow{T}"/> with <see cref="GdalRasterSourceOptions.DirectRead"/>
/// off; <see cref="GdalDirectReadBenchmarks"/> measures the direct path), against the naive way: one
/// <c>GDALRasterIO</c> per band into a plane, then a scalar loop interleaving the planes.
/// The file (387 x 260, not a multiple of the block or vector sizes) is written once in setup and
/// reopened before every iteration, so each pass starts with GDAL's block cache empty, as the indexer's
/// single streaming pass does (the operating system's page cache stays warm: this measures TIFF
/// decoding, RasterIO and interleaving, not the disk).
/// </summary>
public class GdalWindowReadBenchmarks
{
    private const int Width = 387;
    private const int Height = 260;
    private const int Bands = 128;
    private const int RowsPerWindow = 64;

    private string _folder = string.Empty;
    private string _path = string.Empty;
    private GdalRasterSource _source = null!;
    private GdalDatasetHandle _dataset = null!;
    private byte[] _bytes = [];
    private float[] _floats = [];
    private byte[] _bytePlane = [];
    private float[] _floatPlane = [];

    /// <summary>The file's interleave.</summary>
    [Params(GeoTiffInterleave.Pixel, GeoTiffInterleave.Band)]
    public GeoTiffInterleave Interleave { get; set; }

    /// <summary>The bands' type (read as that type: no conversion).</summary>
    [Params(RasterDataType.Byte, RasterDataType.Float32)]
    public RasterDataType DataType { get; set; }

    /// <summary>Writes the seeded 128-band GeoTIFF (tiled 256x256 for BAND, striped for PIXEL) and opens it both ways.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"tessera-bench-gdal-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "mosaic.tif");
        var options = new GeoTiffWriteOptions
        {
            Interleave = Interleave,
            TileSize = Interleave == GeoTiffInterleave.Band ? (256, 256) : null,
            RowsPerStrip = Interleave == GeoTiffInterleave.Band ? null : 16,
        };
        var random = new Random(42);
        using (var writer = GdalRasterWriter.CreateGeoTiff(path, Width, Height, Bands, DataType, options))
        {
            for (var y = 0; y < Height; y += RowsPerWindow)
            {
                var rows = Math.Min(RowsPerWindow, Height - y);
                if (DataType == RasterDataType.Byte)
                {
                    var values = new byte[Width * rows * Bands];
                    random.NextBytes(values);
                    writer.WriteWindow<byte>(0, y, Width, rows, values);
                }
                else
                {
                    var values = new float[Width * rows * Bands];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)random.NextDouble();
                    }

                    writer.WriteWindow<float>(0, y, Width, rows, values);
                }
            }

            writer.Complete();
        }

        _path = path;
        _bytes = new byte[Width * RowsPerWindow * Bands];
        _floats = new float[Width * RowsPerWindow * Bands];
        _bytePlane = new byte[Width * RowsPerWindow];
        _floatPlane = new float[Width * RowsPerWindow];
    }

    /// <summary>Opens the file both ways, with nothing in GDAL's block cache.</summary>
    [IterationSetup]
    public void Open()
    {
        _source = GdalRasterSource.Open(_path, new GdalRasterSourceOptions { DirectRead = false });
        _dataset = GdalProxy.OpenRaster(_path);
    }

    /// <summary>Closes the file (which drops its cached blocks).</summary>
    [IterationCleanup]
    public void Close()
    {
        _source.Dispose();
        GdalProxy.Close(_dataset);
    }

    /// <summary>Deletes the folder.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>Naive: per window, one RasterIO per band into a plane, then a scalar interleave loop.</summary>
    /// <returns>A checksum, so the work cannot be dropped.</returns>
    [Benchmark(Baseline = true)]
    public double PerBandReadsAndScalarInterleave() =>
        DataType == RasterDataType.Byte ? PerBand(_bytePlane, _bytes) : PerBand(_floatPlane, _floats);

    /// <summary>One <c>GDALDatasetRasterIOEx</c> per window straight into the pixel-interleaved buffer.</summary>
    /// <returns>A checksum, so the work cannot be dropped.</returns>
    [Benchmark]
    public double OneCallPixelInterleaved() =>
        DataType == RasterDataType.Byte ? OneCall(_bytes) : OneCall(_floats);

    private double OneCall<T>(T[] buffer)
        where T : unmanaged
    {
        var checksum = 0.0;
        for (var y = 0; y < Height; y += RowsPerWindow)
        {
            var rows = Math.Min(RowsPerWindow, Height - y);
            _source.ReadWindow<T>(0, y, Width, rows, buffer);
            checksum += Sample(buffer, rows);
        }

        return checksum;
    }

    private double PerBand<T>(T[] plane, T[] buffer)
        where T : unmanaged
    {
        var checksum = 0.0;
        for (var y = 0; y < Height; y += RowsPerWindow)
        {
            var rows = Math.Min(RowsPerWindow, Height - y);
            var pixels = Width * rows;
            for (var band = 0; band < Bands; band++)
            {
                GdalProxy.ReadBand(_dataset, band + 1, (0, y, Width, rows), plane.AsSpan(0, pixels));
                for (var p = 0; p < pixels; p++)
                {
                    buffer[(p * Bands) + band] = plane[p];
                }
            }

            checksum += Sample(buffer, rows);
        }

        return checksum;
    }

    private static double Sample<T>(T[] buffer, int rows)
        where T : unmanaged
    {
        var last = (Width * rows * Bands) - 1;
        return typeof(T) == typeof(byte)
            ? Unsafe.As<T, byte>(ref buffer[0]) + Unsafe.As<T, byte>(ref buffer[last])
            : Unsafe.As<T, float>(ref buffer[0]) + Unsafe.As<T, float>(ref buffer[last]);
    }
}
