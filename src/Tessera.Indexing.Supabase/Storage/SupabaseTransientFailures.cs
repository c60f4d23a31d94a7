using System.Net;
using System.Text.Json;
using Polly.Timeout;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>Which failures are worth another attempt: rate limits, server errors, Supabase's 544, dropped connections, timeouts.</summary>
internal static class SupabaseTransientFailures
{
    /// <summary>Whether an HTTP status (or the status code carried in a Supabase error body) is transient.</summary>
    public static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.Locked
        || status >= 500;

    /// <summary>Whether an exception thrown by a send is transient; a cancellation the caller asked for never is.</summary>
    public static bool IsTransientException(Exception exception, CancellationToken callerToken) => exception switch
    {
        TimeoutRejectedException => true,
        HttpRequestException => true,
        IOException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// Whether a (buffered) response is transient. Supabase answers most errors with HTTP 400 and the real
    /// code in the body (<c>{"statusCode":"503",…}</c>), so a 400 is looked into.
    /// </summary>
    public static async ValueTask<bool> IsTransientResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (IsTransientStatus(status))
        {
            return true;
        }

        if (status != (int)HttpStatusCode.BadRequest)
        {
            return false;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var bodyStatus = ReadBodyStatusCode(body);
        return bodyStatus is not null && IsTransientStatus(bodyStatus.Value);
    }

    /// <summary>The <c>statusCode</c> of a Supabase Storage error body (a string or a number), if any.</summary>
    public static int? ReadBodyStatusCode(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("statusCode", out var code))
            {
                if (code.ValueKind == JsonValueKind.Number && code.TryGetInt32(out var number))
                {
                    return number;
                }

                if (code.ValueKind == JsonValueKind.String && int.TryParse(code.GetString(), out var parsed))
                {
                    return parsed;
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
