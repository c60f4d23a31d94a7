using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Benchmarks.Reporting;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Benchmarks.Gdal;

/// <summary>
/// Reading a whole 128-band Byte GeoTIFF in full-width windows of 64 rows (as the mosaic indexer
/// streams it) into a pixel-interleaved buffer, per layout (256x256 tiles or 16-row strips, pixel or
/// band interleave) and codec (none, DEFLATE, LZW, ZSTD, DEFLATE with predictor 2): the direct path
/// (<see cref="GdalRasterSourceOptions.DirectRead"/>: blocks by their offsets, positional reads,
/// SIMD de-interleave, block-parallel decoding) against plain GDAL <c>RasterIO</c>, one call per window.
/// The file (1,031 x 517, not a multiple of the tiles) is written once per case and reopened before
/// every iteration, so each pass starts with no GDAL block cache and no decoded blocks; the operating
/// system's page cache stays warm (this measures reading from memory, not the disk). The throughput
/// column is bytes of pixels delivered per second.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class GdalDirectReadBenchmarks : IReportsThroughput
{
    private const int Width = 1031;
    private const int Height = 517;
    private const int Bands = 128;
    private const int RowsPerWindow = 64;

    private string _folder = string.Empty;
    private string _path = string.Empty;
    private GdalRasterSource _direct = null!;
    private GdalRasterSource _gdal = null!;
    private byte[] _buffer = [];

    /// <summary>Blocks and interleave: <c>tiled-pixel</c>, <c>tiled-band</c>, <c>striped-pixel</c>, <c>striped-band</c>.</summary>
    [Params("tiled-pixel", "tiled-band", "striped-pixel", "striped-band")]
    public string Layout { get; set; } = "tiled-pixel";

    /// <summary>GDAL's <c>COMPRESS</c>, with <c>/2</c> for <c>PREDICTOR=2</c>.</summary>
    [Params("NONE", "DEFLATE", "LZW", "ZSTD", "DEFLATE/2")]
    public string Codec { get; set; } = "NONE";

    /// <inheritdoc />
    public Throughput Work(string method) => new((double)Width * Height * Bands, "B", Machine.MemoryBytesPerSecond);

    /// <summary>Writes the seeded file: smooth values plus noise, so the codecs have something to do.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"tessera-bench-direct-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        _path = Path.Combine(_folder, "mosaic.tif");
        var parts = Codec.Split('/');
        List<string> creation = [$"COMPRESS={parts[0]}"];
        if (parts.Length > 1)
        {
            creation.Add($"PREDICTOR={parts[1]}");
        }

        var tiled = Layout.StartsWith("tiled", StringComparison.Ordinal);
        var options = new GeoTiffWriteOptions
        {
            Interleave = Layout.EndsWith("band", StringComparison.Ordinal) ? GeoTiffInterleave.Band : GeoTiffInterleave.Pixel,
            TileSize = tiled ? (256, 256) : null,
            RowsPerStrip = tiled ? null : 16,
            CreationOptions = creation,
        };
        var random = new Random(42);
        var values = new byte[Width * RowsPerWindow * Bands];
        using (var writer = GdalRasterWriter.CreateGeoTiff(_path, Width, Height, Bands, RasterDataType.Byte, options))
        {
            for (var y = 0; y < Height; y += RowsPerWindow)
            {
                var rows = Math.Min(RowsPerWindow, Height - y);
                for (var i = 0; i < rows * Width * Bands; i++)
                {
                    var pixel = i / Bands;
                    values[i] = (byte)((((y + (pixel / Width)) / 3) + ((pixel % Width) / 5) + ((i % Bands) * 7) + random.Next(4)) & 255);
                }

                writer.WriteWindow<byte>(0, y, Width, rows, values.AsSpan(0, rows * Width * Bands));
            }

            writer.Complete();
        }

        _buffer = new byte[Width * RowsPerWindow * Bands];
    }

    /// <summary>Opens the file both ways, with nothing cached.</summary>
    [IterationSetup]
    public void Open()
    {
        _direct = GdalRasterSource.Open(_path);
        _gdal = GdalRasterSource.Open(_path, new GdalRasterSourceOptions { DirectRead = false });
        if (!_direct.ReadPath.StartsWith("direct:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The direct path is not used for {Layout} {Codec}: {_direct.ReadPath}");
        }
    }

    /// <summary>Closes both.</summary>
    [IterationCleanup]
    public void Close()
    {
        _direct.Dispose();
        _gdal.Dispose();
    }

    /// <summary>Deletes the folder.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>Plain GDAL: one <c>GDALDatasetRasterIOEx</c> per window.</summary>
    /// <returns>A checksum, so the work cannot be dropped.</returns>
    [Benchmark(Baseline = true)]
    public long GdalRasterIO() => ReadAll(_gdal);

    /// <summary>The direct path.</summary>
    /// <returns>A checksum, so the work cannot be dropped.</returns>
    [Benchmark]
    public long Direct() => ReadAll(_direct);

    private long ReadAll(GdalRasterSource source)
    {
        long checksum = 0;
        for (var y = 0; y < Height; y += RowsPerWindow)
        {
            var rows = Math.Min(RowsPerWindow, Height - y);
            source.ReadWindow<byte>(0, y, Width, rows, _buffer.AsSpan(0, rows * Width * Bands));
            checksum += _buffer[0] + _buffer[(rows * Width * Bands) - 1];
        }

        return checksum;
    }
}
