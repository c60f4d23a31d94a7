using System.Numerics.Tensors;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.GeoTessera;

/// <summary>
/// A GeoTessera native tile as a raster: <c>grid_X_Y.npy</c> (int8, shape (H, W, bands)) with its
/// scales <c>grid_X_Y_scales.npy</c> (float32, shape (H, W) or (H, W, bands)), memory-mapped. The
/// embedding of pixel (row, col) is <c>values[row, col, :] * scales[row, col]</c> (or, with per-band
/// scales, <c>* scales[row, col, :]</c>), as GeoTessera's <c>dequantize_embedding</c> computes it.
/// </summary>
/// <remarks>
/// <para>The tile files carry no georeferencing. <see cref="Open"/> takes it, in this order, from the
/// arguments; from <see cref="GeoTesseraTileOptions.Landmask"/>; from a sidecar
/// <c>grid_X_Y.geo.json</c> beside the tile
/// (<c>{"geotransform": [originX, pixelWidth, 0, originY, 0, -pixelHeight], "crs": "EPSG:32630", "crs_wkt": "...", "nodata": null}</c>,
/// GDAL's coefficient order; rasterio's Affine order is refused); from the tile's landmask in
/// GeoTessera's layout (<see cref="GeoTesseraLayout"/>), as GeoTessera itself does; or from the tile's
/// name (<see cref="GeoTesseraTileName.DeriveGeoreference"/>). <see cref="GeoreferenceSource"/> says
/// which. Without any, the raster has no geotransform, and a mosaic build refuses it.</para>
/// <para>A tile with per-band scales has no single scale per pixel: it reports
/// <see cref="RasterDataType.Float32"/> (reads as <see cref="float"/> are dequantised exactly;
/// <see cref="sbyte"/> reads still give the stored values) and <see cref="ReadScales"/> refuses.</para>
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
    private readonly bool _perBandScales;
    private readonly bool[]? _land;

    private GeoTesseraTileSource(
        string path,
        string scalesPath,
        NpyMemoryMappedArray values,
        NpyMemoryMappedArray scales,
        Georeferencing georeferencing,
        bool[]? land)
    {
        Path = path;
        ScalesPath = scalesPath;
        _values = values;
        _scales = scales;
        _perBandScales = scales.Shape.Count == 3 && scales.Shape[2] > 1;
        _land = land;
        Height = checked((int)values.Shape[0]);
        Width = checked((int)values.Shape[1]);
        BandCount = checked((int)values.Shape[2]);
        GeoTransform = georeferencing.Transform;
        SpatialReference = georeferencing.Reference;
        NoDataValue = georeferencing.NoData;
        GeoreferenceSource = georeferencing.Source;
        LandmaskPath = georeferencing.LandmaskPath;
        FilePaths = georeferencing.LandmaskPath is { } landmask ? [path, scalesPath, landmask] : [path, scalesPath];
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
    /// <remarks><see cref="RasterDataType.Int8"/> with one scale per pixel; <see cref="RasterDataType.Float32"/> with per-band scales.</remarks>
    public RasterDataType DataType => _perBandScales ? RasterDataType.Float32 : RasterDataType.Int8;

    /// <summary>Whether the scales are per band (shape (H, W, bands)) rather than per pixel.</summary>
    public bool HasPerBandScales => _perBandScales;

    /// <summary>Where the CRS and geotransform came from.</summary>
    public GeoTesseraGeoreferenceSource GeoreferenceSource { get; }

    /// <summary>The landmask the georeferencing (and water mask) came from, if any.</summary>
    public string? LandmaskPath { get; }

    /// <summary>Whether water pixels (landmask 0) read as no data (all bands 0).</summary>
    public bool MasksWater => _land is not null;

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
    /// <param name="scalesPath">The float32 scales, shape (H, W) or (H, W, bands); default <see cref="GetScalesPath"/>.</param>
    /// <param name="geoTransform">The georeferencing; default from the landmask, sidecar or name (see the remarks).</param>
    /// <param name="spatialReference">The CRS, with <paramref name="geoTransform"/>.</param>
    /// <param name="options">Landmask, water masking and the readers they need; default none.</param>
    /// <returns>The raster; dispose it to unmap the files.</returns>
    /// <exception cref="FileNotFoundException">A file is missing (the tile, its scales, or an explicit landmask).</exception>
    /// <exception cref="InvalidDataException">The files are not a GeoTessera tile pair (types or shapes differ from the above), the sidecar is malformed or in Affine order, or the landmask does not fit the tile.</exception>
    public static GeoTesseraTileSource Open(
        string embeddingsPath,
        string? scalesPath = null,
        GeoTransform? geoTransform = null,
        RasterSpatialReference? spatialReference = null,
        GeoTesseraTileOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(embeddingsPath);
        options ??= new GeoTesseraTileOptions();
        scalesPath ??= GetScalesPath(embeddingsPath);
        if (!File.Exists(embeddingsPath))
        {
            throw new FileNotFoundException($"GeoTessera tile '{embeddingsPath}' does not exist.", embeddingsPath);
        }

        if (!File.Exists(scalesPath))
        {
            throw new FileNotFoundException($"The scales file '{scalesPath}' of GeoTessera tile '{embeddingsPath}' does not exist.", scalesPath);
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

            var scalesShapeOk = scales.Shape.Count == 2 || (scales.Shape.Count == 3 && (scales.Shape[2] == 1 || scales.Shape[2] == values.Shape[2]));
            if (scales.DataType != NpyDataType.Float32 || !scalesShapeOk || scales.Shape[0] != values.Shape[0] || scales.Shape[1] != values.Shape[1])
            {
                throw new InvalidDataException(
                    $"'{scalesPath}' does not hold the scales of '{embeddingsPath}': expected float32 (<f4) of shape ({values.Shape[0]}, {values.Shape[1]}) or ({values.Shape[0]}, {values.Shape[1]}, {values.Shape[2]}), got {scales.Header.Descr} of shape ({string.Join(", ", scales.Shape)}).");
            }

            if (values.Shape[0] > int.MaxValue || values.Shape[1] > int.MaxValue || values.Shape[2] > int.MaxValue)
            {
                throw new InvalidDataException($"'{embeddingsPath}' is too large for a raster (shape ({string.Join(", ", values.Shape)})).");
            }

            var (georeferencing, land) = Georeference(embeddingsPath, (int)values.Shape[1], (int)values.Shape[0], geoTransform, spatialReference, options);
            return new GeoTesseraTileSource(embeddingsPath, scalesPath, values, scales, georeferencing, land);
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
                var row = target.Slice(r * rowValues, rowValues);
                _values.GetElements<sbyte>(PixelIndex(x, y + r) * BandCount, rowValues).CopyTo(row);
                MaskWater(x, y + r, row);
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var target = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(destination);
            for (var r = 0; r < height; r++)
            {
                var start = PixelIndex(x, y + r);
                var row = target.Slice(r * rowValues, rowValues);
                var stored = _values.GetElements<sbyte>(start * BandCount, rowValues);
                if (_perBandScales)
                {
                    // GeoTessera: q.astype(float32) * scales, element by element.
                    TensorPrimitives.ConvertChecked<sbyte, float>(stored, row);
                    TensorPrimitives.Multiply(row, _scales.GetElements<float>(start * BandCount, rowValues), row);
                }
                else
                {
                    EmbeddingKernels.DequantizeInt8Rows(stored, _scales.GetElements<float>(start, width), row);
                }

                MaskWater(x, y + r, row);
            }
        }
        else
        {
            throw new NotSupportedException($"A GeoTessera tile reads as sbyte (stored) or float (dequantised), not {typeof(T).Name}.");
        }
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The tile has per-band scales (<see cref="HasPerBandScales"/>): there is no single scale per pixel.</exception>
    public void ReadScales(int x, int y, int width, int height, Span<float> destination)
    {
        if (_perBandScales)
        {
            throw new NotSupportedException($"'{ScalesPath}' holds one scale per band, not one per pixel: read the tile as float to dequantise it.");
        }

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

    private static (Georeferencing Georeferencing, bool[]? Land) Georeference(
        string embeddingsPath, int width, int height, GeoTransform? geoTransform, RasterSpatialReference? spatialReference, GeoTesseraTileOptions options)
    {
        var landmask = GeoTesseraLayout.FindLandmask(embeddingsPath, options.Landmask);
        if (options.Landmask is not null && options.LandmaskReader is null)
        {
            throw new InvalidDataException($"The landmask '{options.Landmask}' was given for '{embeddingsPath}', but no landmask reader (GDAL) is available to read it.");
        }

        if (options.MaskWater && (landmask is null || options.LandmaskReader is null))
        {
            throw new InvalidDataException(
                landmask is null
                    ? $"Water masking needs the landmask of '{embeddingsPath}', and none was found (give its path, or put it at {GeoTesseraLayout.LandmasksFolder}/grid_X_Y.tiff in GeoTessera's layout)."
                    : $"Water masking needs a landmask reader (GDAL) to read '{landmask}'.");
        }

        var canReadLandmask = landmask is not null && options.LandmaskReader is not null;
        (GeoTransform Transform, RasterSpatialReference? Reference, bool[]? Land)? fromLandmask = canReadLandmask
            ? GeoTesseraLandmask.Read(landmask!, options.LandmaskReader!, width, height, embeddingsPath, options.MaskWater)
            : null;
        var land = fromLandmask?.Land;

        if (geoTransform is not null)
        {
            return (new Georeferencing(geoTransform, spatialReference, null, GeoTesseraGeoreferenceSource.Explicit, land is null ? null : landmask), land);
        }

        if (options.Landmask is not null && fromLandmask is { } explicitMask)
        {
            return (new Georeferencing(explicitMask.Transform, explicitMask.Reference, null, GeoTesseraGeoreferenceSource.Landmask, landmask), land);
        }

        var sidecar = GetSidecarPath(embeddingsPath);
        if (File.Exists(sidecar))
        {
            var (transform, reference, noData) = GeoTesseraSidecar.Read(sidecar);
            if (transform is not null)
            {
                return (new Georeferencing(transform, spatialReference ?? reference, noData, GeoTesseraGeoreferenceSource.Sidecar, land is null ? null : landmask), land);
            }
        }

        if (fromLandmask is { } found)
        {
            return (new Georeferencing(found.Transform, found.Reference, null, GeoTesseraGeoreferenceSource.Landmask, landmask), land);
        }

        if (options.DeriveFromTileName && options.CoordinateTransforms is not null && GeoTesseraTileName.TryParse(embeddingsPath, out var name))
        {
            try
            {
                var (transform, reference) = name.DeriveGeoreference(options.CoordinateTransforms);
                return (new Georeferencing(transform, reference, null, GeoTesseraGeoreferenceSource.TileName, null), null);
            }
            catch (CoordinateTransformException e)
            {
                throw new InvalidDataException($"The georeferencing of '{embeddingsPath}' cannot be derived from its name: {e.Message}", e);
            }
        }

        return (new Georeferencing(null, spatialReference, null, GeoTesseraGeoreferenceSource.None, null), null);
    }

    private void MaskWater<T>(int x, int y, Span<T> row)
        where T : unmanaged
    {
        if (_land is null)
        {
            return;
        }

        var start = PixelIndex(x, y);
        var pixels = row.Length / BandCount;
        for (var i = 0; i < pixels; i++)
        {
            if (!_land[start + i])
            {
                row.Slice(i * BandCount, BandCount).Clear();
            }
        }
    }

    private sealed record Georeferencing(GeoTransform? Transform, RasterSpatialReference? Reference, double? NoData, GeoTesseraGeoreferenceSource Source, string? LandmaskPath);
}
