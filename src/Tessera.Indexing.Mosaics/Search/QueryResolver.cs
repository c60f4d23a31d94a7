using System.Numerics.Tensors;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Query resolution: turns a pixel, a point or a vector into the query vector in the indexed space
/// (the pixel's stored values × scale, unit-normalised for a normalised viewport), and maps between
/// pixels and WGS84 latitude/longitude through the viewport's CRS (<see cref="RasterGeoreference"/>),
/// refusing points outside the mosaic and pixels without data.
/// </summary>
internal sealed class QueryResolver(ViewportLayout layout, EmbeddingMatrix matrix, bool normalizeRows, RasterGeoreference georeference)
{
    private int Width => layout.Width;

    private int Height => layout.Height;

    public PreparedQuery Prepare(ViewportQuery query, SimilarityMetric metric)
    {
        float[] vector;
        ResolvedQuery resolved;
        switch (query.Kind)
        {
            case ViewportQueryKind.Vector:
                if (query.Vector.Length != layout.Dimension)
                {
                    throw new ViewportSearchException(
                        ViewportSearchErrorKind.InvalidRequest,
                        $"The query vector has {query.Vector.Length} values; viewport '{layout.ViewportId}' has {layout.Dimension}-d embeddings.",
                        "vector");
                }

                vector = query.Vector.ToArray();
                var norm = TensorPrimitives.Norm(vector);
                if (!float.IsFinite(norm))
                {
                    throw new ViewportSearchException(
                        ViewportSearchErrorKind.InvalidRequest,
                        "The query vector's length overflows float32 (its values are too large to score); scale it down.",
                        "vector");
                }

                if (norm == 0f && (layout.Normalized || metric == SimilarityMetric.Cosine))
                {
                    throw new ViewportSearchException(ViewportSearchErrorKind.InvalidRequest, "The query vector is all zeros: it has no direction to compare by cosine.", "vector");
                }

                if (layout.Normalized)
                {
                    NormalizeInPlace(vector);
                }

                resolved = new ResolvedQuery(ViewportQueryKind.Vector, null, null, null, null, null);
                break;

            case ViewportQueryKind.Pixel:
            case ViewportQueryKind.LatLon:
                var (row, col) = query.Kind == ViewportQueryKind.Pixel ? (query.Row, query.Col) : PixelAt(query.Latitude, query.Longitude);
                CheckPixel(row, col);
                var pixel = ((long)row * Width) + col;
                vector = new float[layout.Dimension];
                matrix.ReadVector(pixel, vector);
                if (TensorPrimitives.Norm(vector) == 0f)
                {
                    throw new ViewportSearchException(
                        ViewportSearchErrorKind.NoDataAtQuery,
                        $"Pixel ({row}, {col}) of viewport '{layout.ViewportId}' has no data (all its values are zero).",
                        query.Kind == ViewportQueryKind.Pixel ? "row" : "lat");
                }

                if (layout.Normalized)
                {
                    NormalizeInPlace(vector);
                }

                var (x, y) = layout.GeoTransform.PixelCenterToWorld(row, col);
                double? lat = null;
                double? lon = null;
                if (georeference.HasLatLon)
                {
                    (lat, lon) = LatLonOf(x, y);
                }

                resolved = new ResolvedQuery(query.Kind, pixel, row, col, lat, lon, x, y);
                break;

            default:
                throw new ViewportSearchException(ViewportSearchErrorKind.InvalidRequest, $"Unknown query kind {query.Kind}.", "query");
        }

        return new PreparedQuery(resolved, vector, new ScoringQuery(vector, metric, matrix, normalizeRows));
    }

    /// <summary>The indexed vector of a pixel (stored × scale; unit-normalised for a normalised viewport).</summary>
    public float[] IndexedVector(int row, int col)
    {
        CheckPixel(row, col);
        var vector = new float[layout.Dimension];
        matrix.ReadVector(((long)row * Width) + col, vector);
        if (layout.Normalized)
        {
            NormalizeInPlace(vector);
        }

        return vector;
    }

    public (int Row, int Col) PixelAt(double latitude, double longitude)
    {
        double colF;
        double rowF;
        try
        {
            (colF, rowF) = georeference.LatLonToPixel(latitude, longitude);
        }
        catch (CoordinateTransformException e)
        {
            throw Unavailable(e, "lat");
        }

        var row = Math.Floor(rowF);
        var col = Math.Floor(colF);
        if (!(row >= 0 && row < Height && col >= 0 && col < Width))
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.OutsideMosaic,
                FormattableString.Invariant($"The point lat {latitude}, lon {longitude} lies outside viewport '{layout.ViewportId}' ({Bounds()})."),
                "lat");
        }

        return ((int)row, (int)col);
    }

    public (double Latitude, double Longitude) PixelCenter(int row, int col)
    {
        CheckPixel(row, col);
        var (x, y) = layout.GeoTransform.PixelCenterToWorld(row, col);
        return LatLonOf(x, y);
    }

    /// <summary>The matches of scored pixels: row, column, world X/Y and (where the viewport has them) latitude/longitude, transformed in one batch.</summary>
    public PixelMatch[] ToMatches(ReadOnlySpan<(long Pixel, float Score)> hits)
    {
        var xs = new double[hits.Length];
        var ys = new double[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            (xs[i], ys[i]) = layout.GeoTransform.PixelCenterToWorld(hits[i].Pixel / Width, hits[i].Pixel % Width);
        }

        double[]? lons = null;
        double[]? lats = null;
        if (georeference.HasLatLon && hits.Length > 0)
        {
            lons = (double[])xs.Clone();
            lats = (double[])ys.Clone();
            try
            {
                georeference.WorldToLatLon(lons, lats);
            }
            catch (CoordinateTransformException e)
            {
                throw Unavailable(e, "query");
            }
        }

        var matches = new PixelMatch[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            var pixel = hits[i].Pixel;
            matches[i] = new PixelMatch(
                pixel,
                (int)(pixel / Width),
                (int)(pixel % Width),
                lats?[i] ?? double.NaN,
                lons?[i] ?? double.NaN,
                hits[i].Score,
                xs[i],
                ys[i]);
        }

        return matches;
    }

    public void CheckPixel(int row, int col)
    {
        if (row < 0 || row >= Height || col < 0 || col >= Width)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.OutsideMosaic,
                $"Pixel ({row}, {col}) lies outside viewport '{layout.ViewportId}' ({Height} rows × {Width} columns).",
                row < 0 || row >= Height ? "row" : "col");
        }
    }

    private (double Latitude, double Longitude) LatLonOf(double x, double y)
    {
        try
        {
            return georeference.WorldToLatLon(x, y);
        }
        catch (CoordinateTransformException e)
        {
            throw Unavailable(e, "lat");
        }
    }

    private ViewportSearchException Unavailable(CoordinateTransformException e, string field) =>
        e.Kind == CoordinateTransformErrorKind.TransformFailed
            ? new ViewportSearchException(ViewportSearchErrorKind.OutsideMosaic, $"Viewport '{layout.ViewportId}': {e.Message}", field, e)
            : new ViewportSearchException(ViewportSearchErrorKind.CoordinatesUnavailable, $"Viewport '{layout.ViewportId}' has no latitude/longitude: {e.Message}", field, e);

    private string Bounds()
    {
        var (x0, y0) = layout.GeoTransform.PixelToWorld(0, 0);
        var (x1, y1) = layout.GeoTransform.PixelToWorld(Width, Height);
        var native = FormattableString.Invariant($"x {Math.Min(x0, x1)}..{Math.Max(x0, x1)}, y {Math.Min(y0, y1)}..{Math.Max(y0, y1)} in {layout.Crs ?? "an unknown CRS"}");
        if (!georeference.HasLatLon)
        {
            return native;
        }

        try
        {
            var (west, south, east, north) = georeference.LatLonBounds(Width, Height);
            return FormattableString.Invariant($"lat {south}..{north}, lon {west}..{east}; {native}");
        }
        catch (CoordinateTransformException)
        {
            return native;
        }
    }

    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }
}
