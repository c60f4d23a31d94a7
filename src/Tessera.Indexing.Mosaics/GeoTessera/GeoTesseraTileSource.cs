using System.Globalization;
using System.Text.Json;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// A GeoTessera native tile as a raster: <c>grid_X_Y.npy</c> (int8, shape (H, W, bands)) with its
/// per-pixel scales <c>grid_X_Y_scales.npy</c> (float32, shape (H, W)), memory-mapped. The embedding
/// of pixel (row, col) is <c>values[row, col, :] * scales[row, col]</c>, as GeoTessera dequantises.
/// </summary>
/// <remarks>
/// The tile files carry no georeferencing. Pass it to <see cref="Open"/>, or put a sidecar
/// <c>grid_X_Y.geo.json</c> beside the tile:
/// <c>{"geotransform": [originX, pixelWidth, 0, originY, 0, -pixelHeight], "crs": "EPSG:32643", "crs_wkt": "...", "nodata": null}</c>
/// (<c>crs</c>, <c>crs_wkt</c> and <c>nodata</c> are optional). Without either the raster has no
/// geotransform, and a mosaic build refuses it.
/// </remarks>
public sealed class GeoTesseraTileSource : IScaledRasterSource, IMultiFileRasterSource
{
    /// <summary>The suffix GeoTessera gives the scales file (<c>grid_X_Y_scales.npy</c>).</summary>
    public const string ScalesSuffix = "_scales.npy";

    /// <summary>The suffix of the optional georeferencing sidecar (<c>grid_X_Y.geo.json</c>).</summary>
    public const string SidecarSuffix = ".geo.json";

    private const int RowsPerBlock = 64;

    private readonly NpyMemoryMappedArray _values;
    private readonly NpyMemoryMappedArray _scales;

    private GeoTesseraTileSource(
        string path,
        string scalesPath,
        NpyMemoryMappedArray values,
        NpyMemoryMappedArray scales,
        GeoTransform? geoTransform,
        RasterSpatialReference? spatialReference,
        double? noData)
    {
        Path = path;
        ScalesPath = scalesPath;
        _values = values;
        _scales = scales;
        Height = checked((int)values.Shape[0]);
        Width = checked((int)values.Shape[1]);
        BandCount = checked((int)values.Shape[2]);
        GeoTransform = geoTransform;
        SpatialReference = spatialReference;
        NoDataValue = noData;
        FilePaths = [path, scalesPath];
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <summary>The scales file.</summary>
    public string ScalesPath { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> FilePaths { get; }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <inheritdoc />
    public int BandCount { get; }

    /// <inheritdoc />
    public RasterDataType DataType => RasterDataType.Int8;

    /// <inheritdoc />
    public GeoTransform? GeoTransform { get; }

    /// <inheritdoc />
    public RasterSpatialReference? SpatialReference { get; }

    /// <inheritdoc />
    public double? NoDataValue { get; }

    /// <inheritdoc />
    public (int Width, int Height) BlockSize => (Width, Math.Min(RowsPerBlock, Math.Max(1, Height)));

    /// <summary>The scales path GeoTessera pairs with <paramref name="embeddingsPath"/> (<c>grid_X_Y.npy</c> → <c>grid_X_Y_scales.npy</c>).</summary>
    /// <param name="embeddingsPath">The int8 tile.</param>
    /// <returns>The scales file's path.</returns>
    public static string GetScalesPath(string embeddingsPath) => StripNpy(embeddingsPath) + ScalesSuffix;

    /// <summary>The sidecar path for <paramref name="embeddingsPath"/> (<c>grid_X_Y.npy</c> → <c>grid_X_Y.geo.json</c>).</summary>
    /// <param name="embeddingsPath">The int8 tile.</param>
    /// <returns>The sidecar's path.</returns>
    public static string GetSidecarPath(string embeddingsPath) => StripNpy(embeddingsPath) + SidecarSuffix;

    /// <summary>Opens a tile pair.</summary>
    /// <param name="embeddingsPath">The int8 tile, shape (H, W, bands).</param>
    /// <param name="scalesPath">The float32 scales, shape (H, W); default <see cref="GetScalesPath"/>.</param>
    /// <param name="geoTransform">The georeferencing; default from the sidecar, if any.</param>
    /// <param name="spatialReference">The CRS; default from the sidecar, if any.</param>
    /// <returns>The raster; dispose it to unmap the files.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The files are not a GeoTessera tile pair (types or shapes differ from the above), or the sidecar is malformed.</exception>
    public static GeoTesseraTileSource Open(
        string embeddingsPath,
        string? scalesPath = null,
        GeoTransform? geoTransform = null,
        RasterSpatialReference? spatialReference = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(embeddingsPath);
        scalesPath ??= GetScalesPath(embeddingsPath);
        if (!File.Exists(embeddingsPath))
        {
            throw new FileNotFoundException($"GeoTessera tile '{embeddingsPath}' does not exist.", embeddingsPath);
        }

        if (!File.Exists(scalesPath))
        {
            throw new FileNotFoundException($"The scales file '{scalesPath}' of GeoTessera tile '{embeddingsPath}' does not exist.", scalesPath);
        }

        double? noData = null;
        var sidecar = GetSidecarPath(embeddingsPath);
        if (File.Exists(sidecar))
        {
            var (sidecarTransform, sidecarReference, sidecarNoData) = ReadSidecar(sidecar);
            geoTransform ??= sidecarTransform;
            spatialReference ??= sidecarReference;
            noData = sidecarNoData;
        }

        NpyMemoryMappedArray? values = null;
        NpyMemoryMappedArray? scales = null;
        try
        {
            values = OpenNpy(embeddingsPath);
            scales = OpenNpy(scalesPath);
            if (values.DataType != NpyDataType.Int8 || values.Shape.Count != 3)
            {
                throw new InvalidDataException(
                    $"'{embeddingsPath}' is not a GeoTessera int8 tile: expected int8 (|i1) of shape (H, W, bands), got {values.Header.Descr} of shape ({string.Join(", ", values.Shape)}).");
            }

            var scalesShapeOk = scales.Shape.Count == 2 || (scales.Shape.Count == 3 && scales.Shape[2] == 1);
            if (scales.DataType != NpyDataType.Float32 || !scalesShapeOk || scales.Shape[0] != values.Shape[0] || scales.Shape[1] != values.Shape[1])
            {
                throw new InvalidDataException(
                    $"'{scalesPath}' does not hold the scales of '{embeddingsPath}': expected float32 (<f4) of shape ({values.Shape[0]}, {values.Shape[1]}), got {scales.Header.Descr} of shape ({string.Join(", ", scales.Shape)}).");
            }

            if (values.Shape[0] > int.MaxValue || values.Shape[1] > int.MaxValue || values.Shape[2] > int.MaxValue)
            {
                throw new InvalidDataException($"'{embeddingsPath}' is too large for a raster (shape ({string.Join(", ", values.Shape)})).");
            }

            return new GeoTesseraTileSource(embeddingsPath, scalesPath, values, scales, geoTransform, spatialReference, noData);
        }
        catch
        {
            values?.Dispose();
            scales?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>Supports <see cref="sbyte"/> (values as stored) and <see cref="float"/> (dequantised).</remarks>
    public void ReadWindow<T>(int x, int y, int width, int height, Span<T> destination)
        where T : unmanaged
    {
        CheckWindow(x, y, width, height);
        var rowValues = width * BandCount;
        if (destination.Length < (long)rowValues * height)
        {
            throw new ArgumentException($"The destination needs {(long)rowValues * height} values.", nameof(destination));
        }

        if (typeof(T) == typeof(sbyte))
        {
            var target = System.Runtime.InteropServices.MemoryMarshal.Cast<T, sbyte>(destination);
            for (var r = 0; r < height; r++)
            {
                _values.GetElements<sbyte>(PixelIndex(x, y + r) * BandCount, rowValues).CopyTo(target.Slice(r * rowValues, rowValues));
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var target = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination);
            for (var r = 0; r < height; r++)
            {
                var start = PixelIndex(x, y + r);
                EmbeddingKernels.DequantizeInt8Rows(
                    _values.GetElements<sbyte>(start * BandCount, rowValues),
                    _scales.GetElements<float>(start, width),
                    target.Slice(r * rowValues, rowValues));
            }
        }
        else
        {
            throw new NotSupportedException($"A GeoTessera tile reads as sbyte (stored) or float (dequantised), not {typeof(T).Name}.");
        }
    }

    /// <inheritdoc />
    public void ReadScales(int x, int y, int width, int height, Span<float> destination)
    {
        CheckWindow(x, y, width, height);
        if (destination.Length < (long)width * height)
        {
            throw new ArgumentException($"The destination needs {(long)width * height} values.", nameof(destination));
        }

        for (var r = 0; r < height; r++)
        {
            _scales.GetElements<float>(PixelIndex(x, y + r), width).CopyTo(destination.Slice(r * width, width));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _values.Dispose();
        _scales.Dispose();
    }

    private long PixelIndex(int x, int y) => ((long)y * Width) + x;

    private void CheckWindow(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width < 0 || height < 0 || (long)x + width > Width || (long)y + height > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Window ({x}, {y}, {width}x{height}) is outside the {Width}x{Height} tile.");
        }
    }

    private static NpyMemoryMappedArray OpenNpy(string path)
    {
        try
        {
            return NpyMemoryMappedArray.Open(path);
        }
        catch (NpyFormatException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }

    private static string StripNpy(string path) =>
        path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? path[..^4] : path;

    private static (GeoTransform? Transform, RasterSpatialReference? Reference, double? NoData) ReadSidecar(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            GeoTransform? transform = null;
            if (root.TryGetProperty("geotransform", out var gt) && gt.ValueKind == JsonValueKind.Array)
            {
                var values = new double[gt.GetArrayLength()];
                var i = 0;
                foreach (var item in gt.EnumerateArray())
                {
                    values[i++] = item.GetDouble();
                }

                transform = Rasters.GeoTransform.FromArray(values);
            }

            string? crs = root.TryGetProperty("crs", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? wkt = root.TryGetProperty("crs_wkt", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null;
            int? epsg = null;
            if (crs is not null && crs.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(crs.AsSpan(5), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
            {
                epsg = code;
            }

            var reference = crs is null && wkt is null ? null : new RasterSpatialReference(wkt ?? crs!, epsg);
            double? noData = root.TryGetProperty("nodata", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : null;
            return (transform, reference, noData);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The georeferencing sidecar '{path}' is malformed: {e.Message}", e);
        }
    }
}
