using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// A refusal answered by Supabase Storage (or its gateway), with the server's status and error code kept so the
/// store can tell a missing bucket from a missing object. Its message carries the server's status and message.
/// </summary>
internal sealed class SupabaseStorageException : ShardStoreException
{
    public SupabaseStorageException(ShardStoreErrorKind kind, string? objectName, string message, int httpStatus, int? statusCode, string? code, string? error)
        : base(kind, objectName, message)
    {
        HttpStatus = httpStatus;
        StatusCode = statusCode;
        Code = code;
        Error = error;
    }

    /// <summary>The HTTP status of the response.</summary>
    public int HttpStatus { get; }

    /// <summary>The <c>statusCode</c> of Storage's JSON error body (the real status behind an HTTP 400), if any.</summary>
    public int? StatusCode { get; }

    /// <summary>The body's <c>code</c> (<c>NoSuchBucket</c>, <c>NoSuchKey</c>, …), if any.</summary>
    public string? Code { get; }

    /// <summary>The body's <c>error</c> (older servers: <c>Bucket not found</c>, <c>not_found</c>, …), if any.</summary>
    public string? Error { get; }

    /// <summary>Whether the server said the bucket does not exist (rather than the object).</summary>
    public bool IsBucketNotFound => Code == "NoSuchBucket" || Error is "NoSuchBucket" or "Bucket not found";
}
