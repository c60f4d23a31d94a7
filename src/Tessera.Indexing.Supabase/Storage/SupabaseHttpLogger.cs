using System.Globalization;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Logs the Supabase clients' HTTP requests in place of HttpClientFactory's default loggers, which print
/// full request URIs: here the path is redacted with <see cref="SupabaseKey.Redact"/> (a key pasted into a
/// store prefix never shows) and header values are never written (only their names, as <c>name: *</c>, at trace level).
/// </summary>
internal sealed partial class SupabaseHttpLogger(ILogger logger, string? key) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            LogHeaders(logger, request.Method.Method, Path(request), string.Join(", ", request.Headers.Select(h => $"{h.Key}: *")));
        }

        return null;
    }

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogStop(logger, request.Method.Method, Path(request), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        LogFailed(logger, request.Method.Method, Path(request), SupabaseKey.Redact(exception.Message, key), elapsed.TotalMilliseconds);

    private string Path(HttpRequestMessage request) =>
        SupabaseKey.Redact(request.RequestUri?.AbsolutePath ?? "?", key);

    [LoggerMessage(Level = LogLevel.Trace, Message = "Supabase HTTP {Method} {Path} headers: {Headers}")]
    private static partial void LogHeaders(ILogger logger, string method, string path, string headers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Supabase HTTP {Method} {Path} answered {Status} in {Milliseconds:F1} ms")]
    private static partial void LogStop(ILogger logger, string method, string path, int status, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Supabase HTTP {Method} {Path} failed after {Milliseconds:F1} ms: {Message}")]
    private static partial void LogFailed(ILogger logger, string method, string path, string message, double milliseconds);
}
