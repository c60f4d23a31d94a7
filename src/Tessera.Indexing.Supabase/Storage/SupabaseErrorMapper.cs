using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly.Timeout;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Turns Supabase Storage failures into <see cref="ShardStoreException"/>s whose message carries the HTTP status,
/// the body's status code, error and message. Storage answers most errors with HTTP 400 and the real status in the
/// body (<c>{"statusCode":"409","code":"KeyAlreadyExists","error":"Duplicate","message":"…"}</c>; older servers
/// send no <c>code</c>, newer ones repeat it in <c>error</c>); the gateway answers a missing or wrong <c>apikey</c>
/// with HTTP 401; the TUS endpoint uses real statuses and plain-text bodies. Every message is redacted of the key.
/// </summary>
internal static class SupabaseErrorMapper
{
    private const int MaxBodyInMessage = 300;

    /// <summary>The error a failed response stands for.</summary>
    public static async Task<SupabaseStorageException> FromResponseAsync(
        HttpResponseMessage response, string operation, string? objectName, string? key, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return FromBody((int)response.StatusCode, body, operation, objectName, key);
    }

    /// <summary>The error an HTTP status and body stand for.</summary>
    public static SupabaseStorageException FromBody(int httpStatus, string? body, string operation, string? objectName, string? key)
    {
        var (bodyStatus, code, error, message) = Parse(body);
        var status = bodyStatus ?? httpStatus;
        var kind = Classify(status, error, code);

        var detail = new System.Text.StringBuilder();
        detail.Append(CultureInfo.InvariantCulture, $"Supabase Storage refused to {operation}");
        if (objectName is not null)
        {
            detail.Append(CultureInfo.InvariantCulture, $" '{objectName}'");
        }

        detail.Append(CultureInfo.InvariantCulture, $": HTTP {httpStatus}");
        if (bodyStatus is not null && bodyStatus != httpStatus)
        {
            detail.Append(CultureInfo.InvariantCulture, $" (statusCode {bodyStatus})");
        }

        if (!string.IsNullOrEmpty(error))
        {
            detail.Append(CultureInfo.InvariantCulture, $" {error}");
        }

        if (!string.IsNullOrEmpty(code) && code != error)
        {
            detail.Append(CultureInfo.InvariantCulture, $" ({code})");
        }

        if (!string.IsNullOrEmpty(message))
        {
            detail.Append(CultureInfo.InvariantCulture, $": {message}");
        }

        detail.Append(kind switch
        {
            ShardStoreErrorKind.Unauthorized => ". Check Supabase:Key (a service_role or sb_secret key for writes) and the bucket's policies.",
            ShardStoreErrorKind.TooLarge => ". The object is over the bucket's size limit.",
            ShardStoreErrorKind.Unavailable => ". The failure outlasted the retries.",
            _ => ".",
        });

        return new SupabaseStorageException(kind, objectName, SupabaseKey.Redact(detail.ToString(), key), httpStatus, bodyStatus, code, error);
    }

    /// <summary>The error a send that threw (after the retries) stands for.</summary>
    public static ShardStoreException FromException(Exception exception, string operation, string? objectName, string? key)
    {
        var what = exception is TimeoutRejectedException ? "timed out" : "failed";
        var message = $"Supabase Storage {operation}{(objectName is null ? string.Empty : $" '{objectName}'")} {what} after the retries: {exception.Message}";
        return new ShardStoreException(ShardStoreErrorKind.Unavailable, objectName, SupabaseKey.Redact(message, key), exception);
    }

    /// <summary>The kind a (body or HTTP) status and the body's error name and code stand for.</summary>
    public static ShardStoreErrorKind Classify(int status, string? error, string? code = null) =>
        ClassifyName(error) ?? ClassifyName(code) ?? status switch
        {
            (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Gone => ShardStoreErrorKind.NotFound,
            (int)HttpStatusCode.Conflict => ShardStoreErrorKind.AlreadyExists,
            (int)HttpStatusCode.RequestEntityTooLarge => ShardStoreErrorKind.TooLarge,
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => ShardStoreErrorKind.Unauthorized,
            _ when SupabaseTransientFailures.IsTransientStatus(status) => ShardStoreErrorKind.Unavailable,
            _ => ShardStoreErrorKind.Other,
        };

    private static ShardStoreErrorKind? ClassifyName(string? name)
    {
        switch (name)
        {
            case "Duplicate" or "KeyAlreadyExists" or "ResourceAlreadyExists" or "BucketAlreadyExists":
                return ShardStoreErrorKind.AlreadyExists;
            case "not_found" or "NoSuchKey" or "NoSuchBucket" or "Bucket not found" or "NoSuchUpload":
                return ShardStoreErrorKind.NotFound;
            case "Payload too large" or "EntityTooLarge":
                return ShardStoreErrorKind.TooLarge;
            case "InvalidJWT" or "AccessDenied" or "Unauthorized" or "ExpiredToken":
                return ShardStoreErrorKind.Unauthorized;
            default:
                return null;
        }
    }

    private static (int? Status, string? Code, string? Error, string? Message) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null, null);
        }

        var trimmed = body.Trim();
        if (trimmed[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    var code = ReadString(root, "code");
                    var error = ReadString(root, "error") ?? code;
                    var message = ReadString(root, "message") ?? ReadString(root, "msg");
                    return (SupabaseTransientFailures.ReadBodyStatusCode(trimmed), code, error, Shorten(message));
                }
            }
            catch (JsonException)
            {
            }
        }

        return (null, null, null, Shorten(trimmed));
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Shorten(string? text) =>
        text is null ? null : text.Length <= MaxBodyInMessage ? text : text[..MaxBodyInMessage] + "…";
}
