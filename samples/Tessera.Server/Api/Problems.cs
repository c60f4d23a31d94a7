using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Server.Api;

/// <summary>Problem-details answers (RFC 9457) for the API's failures.</summary>
internal static class Problems
{
    public static IResult BadRequest(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The request is invalid.");

    public static IResult NotFound(string message) =>
        Results.Problem(detail: message, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string message) =>
        Results.Problem(detail: message, statusCode: StatusCodes.Status409Conflict, title: "Conflict.");

    public static IResult Unavailable(string message) =>
        Results.Problem(detail: message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again later.");

    public static IResult From(ViewportSearchException e) => e.Kind switch
    {
        ViewportSearchErrorKind.ViewportNotFound => NotFound(e.Message),
        ViewportSearchErrorKind.InvalidViewport => Results.Problem(detail: e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "The viewport's files are unusable."),
        _ => BadRequest(e.Field ?? "query", e.Message),
    };
}
