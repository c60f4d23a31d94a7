using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Rasters;

namespace Tessera.Cli.Demo;

/// <summary>
/// A synthetic GeoTessera-like embedding mosaic: blobby "land-cover" regions (the argmax of a few smooth
/// noise fields) each with its own 128-band prototype spectrum, modulated by smooth texture fields and a
/// little per-value noise, quantised to bytes; a top-left triangle is nodata (all bands 0), as pixels
/// outside a viewport's area are. Georeferenced in EPSG:4326 at about 10 m per pixel near Bangalore,
/// like the seed plan's example viewport.
/// </summary>
internal sealed class SyntheticMosaic
{
    /// <summary>10 m at the equator, in degrees.</summary>
    public const double PixelDegrees = 8.983152841195214e-05;

    /// <summary>The seed plan's example viewport corner (lon 77.5566, lat 13.1039).</summary>
    public static readonly GeoTransform Transform = new(77.5566, PixelDegrees, 0, 13.1039, 0, -PixelDegrees);

    private const int ClassCount = 7;
    private const int TextureCount = 3;

    private readonly int _size;
    private readonly int _bands;
    private readonly uint _seed;
    private readonly ValueNoise[] _classFields;
    private readonly ValueNoise[] _classDetail;
    private readonly ValueNoise[] _textures;
    private readonly float[] _prototypes;
    private readonly float[] _loadings;

    public SyntheticMosaic(int size, int bands, int seed)
    {
        _size = size;
        _bands = bands;
        _seed = (uint)seed;
        var random = new Random(seed);
        var blob = Math.Max(8, size / 6);
        _classFields = Enumerable.Range(0, ClassCount).Select(_ => new ValueNoise(size, blob, random)).ToArray();
        _classDetail = Enumerable.Range(0, ClassCount).Select(_ => new ValueNoise(size, Math.Max(4, blob / 4), random)).ToArray();
        _textures = Enumerable.Range(0, TextureCount).Select(_ => new ValueNoise(size, Math.Max(4, size / 12), random)).ToArray();

        // Smooth "spectra": a few sines over the band index, in 40..215.
        _prototypes = new float[ClassCount * bands];
        for (var c = 0; c < ClassCount; c++)
        {
            var (a1, f1, p1) = (random.NextDouble(), 1 + (random.NextDouble() * 3), random.NextDouble() * Math.PI * 2);
            var (a2, f2, p2) = (random.NextDouble(), 4 + (random.NextDouble() * 8), random.NextDouble() * Math.PI * 2);
            var level = 90 + (random.NextDouble() * 75);
            for (var b = 0; b < bands; b++)
            {
                var t = (double)b / bands * Math.PI * 2;
                var v = level + (45 * a1 * Math.Sin((f1 * t) + p1)) + (20 * a2 * Math.Sin((f2 * t) + p2));
                _prototypes[(c * bands) + b] = (float)Math.Clamp(v, 40, 215);
            }
        }

        _loadings = new float[TextureCount * bands];
        for (var i = 0; i < _loadings.Length; i++)
        {
            _loadings[i] = (float)((random.NextDouble() * 2) - 1);
        }
    }

    /// <summary>Whether pixel (row, col) lies in the nodata triangle.</summary>
    public bool IsNoData(int row, int col) => row + col < _size / 5;

    /// <summary>The land-cover class of pixel (row, col).</summary>
    public int ClassOf(int row, int col)
    {
        var best = 0;
        var bestValue = float.MinValue;
        for (var c = 0; c < ClassCount; c++)
        {
            var v = (0.75f * _classFields[c].Sample(col, row)) + (0.25f * _classDetail[c].Sample(col, row));
            if (v > bestValue)
            {
                bestValue = v;
                best = c;
            }
        }

        return best;
    }

    /// <summary>Writes the pixels of row <paramref name="row"/>, pixel-interleaved.</summary>
    public void FillRow(int row, Span<byte> destination)
    {
        Span<float> texture = stackalloc float[TextureCount];
        for (var col = 0; col < _size; col++)
        {
            var pixel = destination.Slice(col * _bands, _bands);
            if (IsNoData(row, col))
            {
                pixel.Clear();
                continue;
            }

            var prototype = _prototypes.AsSpan(ClassOf(row, col) * _bands, _bands);
            for (var m = 0; m < TextureCount; m++)
            {
                texture[m] = (_textures[m].Sample(col, row) - 0.5f) * 36f;
            }

            for (var b = 0; b < _bands; b++)
            {
                var v = prototype[b];
                for (var m = 0; m < TextureCount; m++)
                {
                    v += texture[m] * _loadings[(m * _bands) + b];
                }

                v += Noise(row, col, b);
                pixel[b] = (byte)Math.Clamp((int)MathF.Round(v), 1, 255);
            }
        }
    }

    /// <summary>Writes the mosaic to a tiled, pixel-interleaved GeoTIFF (to a temporary name, renamed when complete).</summary>
    public void WriteGeoTiff(string path, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".partial";
        var tiled = _size >= 256;
        var options = new GeoTiffWriteOptions
        {
            Interleave = GeoTiffInterleave.Pixel,
            TileSize = tiled ? (256, 256) : null,
            NoDataValue = 0,
            GeoTransform = Transform,
            EpsgCode = 4326,
        };
        var rowsPerWrite = tiled ? 256 : Math.Min(_size, 64);
        var buffer = new byte[rowsPerWrite * _size * _bands];
        try
        {
            using (var writer = GdalRasterWriter.CreateGeoTiff(temporary, _size, _size, _bands, RasterDataType.Byte, options))
            {
                for (var y0 = 0; y0 < _size; y0 += rowsPerWrite)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var rows = Math.Min(rowsPerWrite, _size - y0);
                    var rowValues = _size * _bands;
                    Parallel.For(0, rows, new ParallelOptions { CancellationToken = cancellationToken }, r => FillRow(y0 + r, buffer.AsSpan(r * rowValues, rowValues)));
                    writer.WriteWindow<byte>(0, y0, _size, rows, buffer.AsSpan(0, rows * rowValues));
                    progress?.Report((double)(y0 + rows) / _size);
                }

                writer.Complete();
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private float Noise(int row, int col, int band)
    {
        var h = ((uint)row * 73856093u) ^ ((uint)col * 19349663u) ^ ((uint)band * 83492791u) ^ (_seed * 2654435761u);
        h ^= h >> 13;
        h *= 0x5bd1e995u;
        h ^= h >> 15;
        return (h & 15) - 7.5f;
    }

    /// <summary>Bilinear value noise with a smoothstep fade over a coarse random grid.</summary>
    private sealed class ValueNoise
    {
        private readonly float[] _grid;
        private readonly int _gridWidth;
        private readonly float _cell;

        public ValueNoise(int size, int cell, Random random)
        {
            _cell = cell;
            _gridWidth = (size / cell) + 3;
            _grid = new float[_gridWidth * _gridWidth];
            for (var i = 0; i < _grid.Length; i++)
            {
                _grid[i] = (float)random.NextDouble();
            }
        }

        public float Sample(int x, int y)
        {
            var gx = x / _cell;
            var gy = y / _cell;
            var ix = (int)gx;
            var iy = (int)gy;
            var fx = Fade(gx - ix);
            var fy = Fade(gy - iy);
            var row0 = iy * _gridWidth;
            var row1 = row0 + _gridWidth;
            var top = _grid[row0 + ix] + ((_grid[row0 + ix + 1] - _grid[row0 + ix]) * fx);
            var bottom = _grid[row1 + ix] + ((_grid[row1 + ix + 1] - _grid[row1 + ix]) * fx);
            return top + ((bottom - top) * fy);
        }

        private static float Fade(float t) => t * t * (3 - (2 * t));
    }
}
