namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The query of a similarity search: a vector, a pixel, or a latitude/longitude. Pixel and
/// latitude/longitude queries take that pixel's indexed embedding from <c>all_embeddings.npy</c>.
/// </summary>
public sealed class ViewportQuery
{
    private readonly float[]? _vector;

    private ViewportQuery(ViewportQueryKind kind, float[]? vector, int row, int col, double latitude, double longitude)
    {
        Kind = kind;
        _vector = vector;
        Row = row;
        Col = col;
        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>What the query names.</summary>
    public ViewportQueryKind Kind { get; }

    /// <summary>The vector of a <see cref="ViewportQueryKind.Vector"/> query (empty otherwise).</summary>
    public ReadOnlyMemory<float> Vector => _vector ?? ReadOnlyMemory<float>.Empty;

    /// <summary>The row of a <see cref="ViewportQueryKind.Pixel"/> query.</summary>
    public int Row { get; }

    /// <summary>The column of a <see cref="ViewportQueryKind.Pixel"/> query.</summary>
    public int Col { get; }

    /// <summary>The WGS84 latitude of a <see cref="ViewportQueryKind.LatLon"/> query.</summary>
    public double Latitude { get; }

    /// <summary>The WGS84 longitude of a <see cref="ViewportQueryKind.LatLon"/> query.</summary>
    public double Longitude { get; }

    /// <summary>A query by vector (in the indexed space: a Byte mosaic's values are in [0, 1]).</summary>
    /// <param name="vector">The vector; copied.</param>
    /// <returns>The query.</returns>
    public static ViewportQuery FromVector(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            throw new ArgumentException("The query vector is empty.", nameof(vector));
        }

        foreach (var v in vector)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("The query vector holds a NaN or infinite value.", nameof(vector));
            }
        }

        return new ViewportQuery(ViewportQueryKind.Vector, vector.ToArray(), 0, 0, double.NaN, double.NaN);
    }

    /// <summary>A query by pixel.</summary>
    /// <param name="row">Row, from 0 at the top.</param>
    /// <param name="col">Column, from 0 at the left.</param>
    /// <returns>The query.</returns>
    public static ViewportQuery AtPixel(int row, int col)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfNegative(col);
        return new ViewportQuery(ViewportQueryKind.Pixel, null, row, col, double.NaN, double.NaN);
    }

    /// <summary>A query by point: the pixel whose footprint contains it, once the point is transformed into the viewport's CRS.</summary>
    /// <param name="latitude">WGS84 latitude in degrees.</param>
    /// <param name="longitude">WGS84 longitude in degrees.</param>
    /// <returns>The query.</returns>
    public static ViewportQuery AtLatLon(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude) || !double.IsFinite(longitude))
        {
            throw new ArgumentException("Latitude and longitude must be finite numbers.");
        }

        return new ViewportQuery(ViewportQueryKind.LatLon, null, 0, 0, latitude, longitude);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ViewportQueryKind.Pixel => $"pixel ({Row}, {Col})",
        ViewportQueryKind.LatLon => FormattableString.Invariant($"lat {Latitude}, lon {Longitude}"),
        _ => $"vector ({Vector.Length} values)",
    };
}
