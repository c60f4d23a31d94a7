using System.Globalization;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Server.Api;

/// <summary>
/// Bounds the work of one search request: the results it asks for (summed over a batch) and the bytes
/// its answer may take, checked before anything runs (<see cref="ServerOptions.MaxResultsPerRequest"/>,
/// <see cref="ServerOptions.MaxResponseBytes"/>). Over either, the request is refused with a 400 naming
/// the limit; nothing is clamped silently.
/// </summary>
internal static class RequestBudget
{
    /// <summary>Upper bounds of one result's bytes per format (a JSON match with lat/lon and score is about 130 bytes; a GeoJSON feature about 260; a CSV line about 80).</summary>
    public static long BytesPerResult(string format) => format switch
    {
        "geojson" => 320,
        "csv" => 96,
        _ => 160,
    };

    /// <summary>Fixed bytes of an answer besides its results (query, distribution, envelope), per search.</summary>
    public const long BytesPerSearch = 2048;

    /// <summary>The results <paramref name="requests"/> may return: <c>k</c> for top-k, <c>limit</c> otherwise.</summary>
    public static long Results(IReadOnlyList<SimilaritySearchRequest> requests)
    {
        long total = 0;
        foreach (var request in requests)
        {
            total += request.MaxResults;
        }

        return total;
    }

    /// <summary>A 400 when the request asks for too much, else <see langword="null"/>.</summary>
    public static IResult? Check(IReadOnlyList<SimilaritySearchRequest> requests, string format, ServerOptions options)
    {
        var results = Results(requests);
        var shape = requests.Count == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{results:N0} results")
            : string.Create(CultureInfo.InvariantCulture, $"{results:N0} results ({requests.Count} queries)");
        if (results > options.MaxResultsPerRequest)
        {
            return Problems.BadRequest(
                "limit",
                string.Create(CultureInfo.InvariantCulture, $"This request asks for up to {shape}; the server answers at most {options.MaxResultsPerRequest:N0} per request (Tessera:MaxResultsPerRequest). Lower k or limit, or split the batch."));
        }

        var bytes = (results * BytesPerResult(format)) + (requests.Count * BytesPerSearch);
        if (bytes > options.MaxResponseBytes)
        {
            return Problems.BadRequest(
                "limit",
                string.Create(CultureInfo.InvariantCulture, $"The answer to {shape} as {format} could take {bytes:N0} bytes; the server sends at most {options.MaxResponseBytes:N0} per response (Tessera:MaxResponseBytes). Lower k or limit, or split the batch."));
        }

        return null;
    }
}
