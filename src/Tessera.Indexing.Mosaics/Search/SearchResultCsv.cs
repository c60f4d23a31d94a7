using System.Globalization;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Writes matches as CSV: a header <c>rank,pixel_index,row,col,lat,lon,score,x,y</c>, one line per
/// match, invariant culture, round-trip numbers. <c>lat</c>/<c>lon</c> are WGS84 degrees (empty when
/// the viewport has no latitude/longitude); <c>x</c>/<c>y</c> the pixel centre in the viewport's CRS.
/// </summary>
public static class SearchResultCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "rank,pixel_index,row,col,lat,lon,score,x,y";

    /// <summary>Writes the header and one line per match.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="result">The result.</param>
    public static void Write(TextWriter writer, SimilaritySearchResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.Write(Header);
        writer.Write('\n');
        var rank = 0;
        var culture = CultureInfo.InvariantCulture;
        foreach (var m in result.Matches)
        {
            writer.Write(string.Create(culture, $"{++rank},{m.PixelIndex},{m.Row},{m.Col},{Coordinate(m.Latitude)},{Coordinate(m.Longitude)},{m.Score:R},{m.X:R},{m.Y:R}"));
            writer.Write('\n');
        }
    }

    private static string Coordinate(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
