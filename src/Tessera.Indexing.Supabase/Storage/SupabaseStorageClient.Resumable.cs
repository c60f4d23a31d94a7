using System.Globalization;
using System.Net;
using System.Text.Json;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Supabase.Storage;

internal partial class SupabaseStorageClient
{
    /// <summary>
    /// Creates a resumable upload (<c>POST /storage/v1/upload/resumable</c>, TUS 1.0 creation) and returns its URL.
    /// <c>x-upsert</c> goes on this and every later request of the upload: the server reads it on each one.
    /// <c>Upload-Metadata</c> carries <c>bucketName</c>, <c>objectName</c>, <c>contentType</c>, <c>cacheControl</c>
    /// (seconds, or anything else for <c>no-cache</c>) and the user <c>metadata</c> as JSON.
    /// </summary>
    public async Task<Uri> CreateResumableUploadAsync(
        string bucket, string path, long length, string contentType, string cacheControl, bool upsert,
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, "storage/v1/upload/resumable");
        request.Headers.Add("Tus-Resumable", TusVersion);
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("x-upsert", upsert ? "true" : "false");
        var pairs = new List<string>
        {
            TusPair("bucketName", bucket),
            TusPair("objectName", path),
            TusPair("contentType", contentType),
            TusPair("cacheControl", TusCacheControl(cacheControl)),
        };
        if (metadata.Count > 0)
        {
            pairs.Add(TusPair("metadata", JsonSerializer.Serialize(metadata)));
        }

        request.Headers.TryAddWithoutValidation("Upload-Metadata", string.Join(',', pairs));
        request.Content = new ByteArrayContent([]);
        using var response = await SendAsync(request, "start a resumable upload of", path, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is null)
        {
            if (response.IsSuccessStatusCode)
            {
                throw new ShardStoreException(ShardStoreErrorKind.Other, path, $"Supabase Storage answered a TUS creation with HTTP {(int)response.StatusCode} and no Location.");
            }

            throw await SupabaseErrorMapper.FromResponseAsync(response, "start a resumable upload of", path, Key, cancellationToken).ConfigureAwait(false);
        }

        return UploadUrl(request.RequestUri!, response.Headers.Location);
    }

    /// <summary>
    /// The upload's URL: the upload id (the <c>Location</c>'s last segment) under the configured project URL's
    /// <c>storage/v1/upload/resumable/</c>. The <c>Location</c> itself is not followed: Storage builds it from the
    /// host and the <c>X-Forwarded-Prefix</c> it was given, so behind a gateway that does not forward the prefix it
    /// lacks <c>/storage/v1</c>, and behind some proxies it names an internal host; the key goes only to the project URL.
    /// </summary>
    internal Uri UploadUrl(Uri createUri, Uri location)
    {
        var resolved = new Uri(createUri, location);
        var id = resolved.Segments[^1].TrimEnd('/');
        var expected = new Uri(_http.BaseAddress!, "storage/v1/upload/resumable/" + id);
        if (!string.Equals(resolved.GetLeftPart(UriPartial.Authority), expected.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            LogForeignLocation(_logger, resolved.GetLeftPart(UriPartial.Authority));
        }
        else if (resolved.AbsolutePath != expected.AbsolutePath)
        {
            LogLocationOutsideStorage(_logger, resolved.AbsolutePath, expected.AbsolutePath);
        }

        return expected;
    }

    /// <summary>The server's offset of a resumable upload (TUS <c>HEAD</c>); <see langword="null"/> when the upload is gone (404, 410).</summary>
    public async Task<long?> GetResumableOffsetAsync(Uri upload, string path, bool upsert, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Head, upload);
        request.Headers.Add("Tus-Resumable", TusVersion);
        request.Headers.Add("x-upsert", upsert ? "true" : "false");
        BustCaches(request);
        using var response = await SendAsync(request, "resume the upload of", path, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await SupabaseErrorMapper.FromResponseAsync(response, "resume the upload of", path, Key, cancellationToken).ConfigureAwait(false);
        }

        return ReadOffset(response, path);
    }

    /// <summary>
    /// Sends one chunk (TUS <c>PATCH</c> at <paramref name="offset"/>) and returns the server's new offset.
    /// Not retried by the pipeline: the caller asks the server for its offset and goes on from there. Carries
    /// <c>x-upsert</c> like the creation: Storage checks it on every PATCH, and an existing object without it is a 409.
    /// </summary>
    public async Task<long> PatchResumableAsync(Uri upload, string path, long offset, ReadOnlyMemory<byte> chunk, bool upsert, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Patch, upload);
        request.Options.Set(SupabaseRequestOptions.NoRetry, true);
        request.Headers.Add("Tus-Resumable", TusVersion);
        request.Headers.Add("x-upsert", upsert ? "true" : "false");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ReadOnlyMemoryContent(chunk);
        request.Content.Headers.ContentType = OffsetOctetStream;
        using var response = await SendAsync(request, "upload a chunk of", path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await SupabaseErrorMapper.FromResponseAsync(response, "upload a chunk of", path, Key, cancellationToken).ConfigureAwait(false);
        }

        return ReadOffset(response, path);
    }

    // ---- plumbing ----------------------------------------------------------------------------------
}
