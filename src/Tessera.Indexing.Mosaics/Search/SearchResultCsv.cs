using System.Globalization;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>Writes matches as CSV: a header <c>rank,pixel_index,row,col,lat,lon,score</c>, one line per match, invariant culture, round-trip numbers.</summary>
public static class SearchResultCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "rank,pixel_index,row,col,lat,lon,score";

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
            writer.Write(string.Create(culture, $"{++rank},{m.PixelIndex},{m.Row},{m.Col},{m.Latitude:R},{m.Longitude:R},{m.Score:R}"));
            writer.Write('\n');
        }
    }
}
