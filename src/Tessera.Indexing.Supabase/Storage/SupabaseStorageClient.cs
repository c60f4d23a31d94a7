using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// A typed <see cref="HttpClient"/> (registered through <c>IHttpClientFactory</c>) for Supabase Storage's REST
/// API under <c>/storage/v1</c>: objects, buckets, listing and TUS resumable uploads. Sends <c>apikey</c> on
/// every request and <c>Authorization: Bearer</c> only for JWT keys. Failures become <see cref="ShardStoreException"/>s;
/// the <see cref="SupabaseRetryHandler"/> below it retries the transient ones.
/// </summary>
internal sealed partial class SupabaseStorageClient
{
    /// <summary>The TUS protocol version Supabase speaks.</summary>
    public const string TusVersion = "1.0.0";

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly MediaTypeHeaderValue OffsetOctetStream = new("application/offset+octet-stream");

    private readonly HttpClient _http;
    private readonly SupabaseOptions _options;
    private readonly ILogger _logger;

    public SupabaseStorageClient(HttpClient httpClient, IOptions<SupabaseOptions> options, ILogger<SupabaseStorageClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _http.BaseAddress ??= BaseAddress(_options.Url!);
    }

    /// <summary>The project URL with a trailing slash, so relative paths append to it.</summary>
    public static Uri BaseAddress(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);

    private string? Key => _options.Key;

    // ---- buckets ----------------------------------------------------------------------------------

    /// <summary>
    /// <c>GET /storage/v1/bucket/{id}</c>. The server looks the bucket up as the caller, so row-level security hides
    /// it from roles without a policy: a <see cref="ShardStoreErrorKind.NotFound"/> means missing or hidden.
    /// </summary>
    /// <exception cref="SupabaseStorageException">The server refused, <c>Bucket not found</c> included.</exception>
    public async Task<StorageBucketInfo> GetBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, $"storage/v1/bucket/{Uri.EscapeDataString(bucket)}");
        using var response = await SendAsync(request, "read bucket", bucket, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await SupabaseErrorMapper.FromResponseAsync(response, "read bucket", bucket, Key, cancellationToken).ConfigureAwait(false);
        }

        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        long? limit = root.TryGetProperty("file_size_limit", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt64() : null;
        var isPublic = root.TryGetProperty("public", out var p) && p.ValueKind == JsonValueKind.True;
        return new StorageBucketInfo(bucket, isPublic, limit is > 0 ? limit : null);
    }

    /// <summary><c>POST /storage/v1/bucket</c> (a private bucket); <see langword="false"/> when it already existed.</summary>
    public async Task<bool> CreateBucketAsync(string bucket, long? fileSizeLimit, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, "storage/v1/bucket");
        var body = new Dictionary<string, object?> { ["id"] = bucket, ["name"] = bucket, ["public"] = false };
        if (fileSizeLimit is not null)
        {
            body["file_size_limit"] = fileSizeLimit;
        }

        request.Content = JsonContent(body);
        using var response = await SendAsync(request, "create bucket", bucket, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            LogBucketCreated(_logger, bucket);
            return true;
        }

        var error = await SupabaseErrorMapper.FromResponseAsync(response, "create bucket", bucket, Key, cancellationToken).ConfigureAwait(false);
        if (error.Kind == ShardStoreErrorKind.AlreadyExists)
        {
            return false;
        }

        throw error;
    }

    // ---- objects ----------------------------------------------------------------------------------

    /// <summary>
    /// <c>POST /storage/v1/object/{bucket}/{path}</c> with the bytes as the body, <c>x-upsert</c> when
    /// <paramref name="upsert"/>, <c>cache-control</c>, and user metadata in <c>x-metadata</c> (base64 JSON).
    /// </summary>
    /// <returns>
    /// <see langword="true"/> when a create (no upsert) was answered 409 Duplicate on a retry: the first attempt may
    /// have stored the object before its answer was lost, and the caller should compare what is stored.
    /// </returns>
    public async Task<bool> UploadAsync(
        string bucket, string path, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        bool upsert, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, ObjectRoute(bucket, path));
        request.Content = new ReadOnlyMemoryContent(content);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("cache-control", cacheControl);
        request.Headers.Add("x-upsert", upsert ? "true" : "false");
        if (metadata.Count > 0)
        {
            request.Headers.Add("x-metadata", Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(metadata)));
        }

        using var response = await SendAsync(request, "upload", path, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        var error = await SupabaseErrorMapper.FromResponseAsync(response, "upload", path, Key, cancellationToken).ConfigureAwait(false);
        if (error.Kind == ShardStoreErrorKind.AlreadyExists && !upsert && SupabaseRequestOptions.WasRetried(request))
        {
            return true;
        }

        throw error;
    }

    /// <summary>
    /// <c>GET /storage/v1/object/authenticated/{bucket}/{path}</c>, cache-busted (a unique query parameter and
    /// <c>Cache-Control: no-cache</c>); <see langword="null"/> when the object does not exist (or row-level security hides it).
    /// </summary>
    /// <exception cref="SupabaseStorageException">The server refused; <c>Bucket not found</c> when the bucket does not exist.</exception>
    public async Task<StorageDownload?> DownloadAsync(string bucket, string path, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, CacheBusted($"storage/v1/object/authenticated/{Uri.EscapeDataString(bucket)}/{SupabaseStoragePaths.EscapePath(path)}"));
        BustCaches(request);
        using var response = await SendAsync(request, "download", path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await SupabaseErrorMapper.FromResponseAsync(response, "download", path, Key, cancellationToken).ConfigureAwait(false);
            return IsObjectNotFound(error) ? null : throw error;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var declared = response.Content.Headers.ContentLength;
        if (declared is not null && declared.Value != bytes.Length)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Corrupt, path, $"Supabase Storage sent {bytes.Length} bytes of '{path}' but declared {declared.Value}.");
        }

        return new StorageDownload(
            bytes,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.CacheControl?.ToString(),
            response.Headers.ETag?.Tag,
            response.Content.Headers.LastModified);
    }

    /// <summary>
    /// <c>GET /storage/v1/object/info/authenticated/{bucket}/{path}</c>, cache-busted; <see langword="null"/> when the
    /// object does not exist (or row-level security hides it). The <c>authenticated</c> route, because the plain
    /// <c>/object/info/{bucket}/…</c> allows an invalid JWT: with a bad key it answers <c>Bucket not found</c> for a
    /// private bucket instead of refusing the key.
    /// </summary>
    /// <exception cref="SupabaseStorageException">The server refused; <c>Bucket not found</c> when the bucket does not exist.</exception>
    public async Task<StorageObjectDescription?> GetInfoAsync(string bucket, string path, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Get, CacheBusted($"storage/v1/object/info/authenticated/{Uri.EscapeDataString(bucket)}/{SupabaseStoragePaths.EscapePath(path)}"));
        BustCaches(request);
        using var response = await SendAsync(request, "describe", path, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await SupabaseErrorMapper.FromResponseAsync(response, "describe", path, Key, cancellationToken).ConfigureAwait(false);
            return IsObjectNotFound(error) ? null : throw error;
        }

        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in md.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return new StorageObjectDescription(
            path,
            ReadInt64(root, "size") ?? 0,
            ReadString(root, "content_type"),
            ReadString(root, "cache_control"),
            ReadString(root, "etag"),
            ReadDate(root, "last_modified") ?? ReadDate(root, "updated_at"),
            metadata);
    }

    /// <summary>
    /// One page of <c>POST /storage/v1/object/list/{bucket}</c>: the direct children of <paramref name="folder"/>
    /// whose names begin with <paramref name="search"/> (case-insensitively, as the server matches), by name.
    /// The server answers <c>[]</c> for a bucket that does not exist (or that row-level security hides), as for an empty folder.
    /// </summary>
    public async Task<IReadOnlyList<StorageListEntry>> ListPageAsync(
        string bucket, string folder, string search, int limit, int offset, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Post, $"storage/v1/object/list/{Uri.EscapeDataString(bucket)}");
        var body = new Dictionary<string, object?>
        {
            ["prefix"] = folder,
            ["limit"] = limit,
            ["offset"] = offset,
            ["sortBy"] = new Dictionary<string, string> { ["column"] = "name", ["order"] = "asc" },
        };
        if (search.Length > 0)
        {
            body["search"] = search;
        }

        request.Content = JsonContent(body);
        BustCaches(request);
        using var response = await SendAsync(request, "list", folder, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await SupabaseErrorMapper.FromResponseAsync(response, "list", folder, Key, cancellationToken).ConfigureAwait(false);
        }

        using var document = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Other, folder, "Supabase Storage answered a list call with something other than an array.");
        }

        var entries = new List<StorageListEntry>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var name = ReadString(item, "name");
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            var isFolder = !item.TryGetProperty("id", out var id) || id.ValueKind == JsonValueKind.Null;
            long size = 0;
            string? contentType = null;
            if (item.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object)
            {
                size = ReadInt64(md, "size") ?? ReadInt64(md, "contentLength") ?? 0;
                contentType = ReadString(md, "mimetype");
            }

            entries.Add(new StorageListEntry(name, isFolder, size, contentType, ReadDate(item, "updated_at")));
        }

        return entries;
    }

    /// <summary><c>DELETE /storage/v1/object/{bucket}/{path}</c>; <see langword="false"/> when there was nothing to delete (or row-level security hides it).</summary>
    public async Task<bool> DeleteAsync(string bucket, string path, CancellationToken cancellationToken)
    {
        using var request = NewRequest(HttpMethod.Delete, ObjectRoute(bucket, path));
        using var response = await SendAsync(request, "delete", path, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var error = await SupabaseErrorMapper.FromResponseAsync(response, "delete", path, Key, cancellationToken).ConfigureAwait(false);
        return IsObjectNotFound(error) ? false : throw error;
    }

    // ---- TUS resumable uploads ---------------------------------------------------------------------

    private HttpRequestMessage NewRequest(HttpMethod method, string relative) => NewRequest(method, new Uri(relative, UriKind.Relative));

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        var key = Key ?? throw new InvalidOperationException("Supabase:Key is not set.");
        request.Headers.TryAddWithoutValidation("apikey", key);
        if (SupabaseKey.IsJwt(key))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        request.Headers.TryAddWithoutValidation("x-client-info", "tessera-indexing/0.1");
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, string? objectName, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (SupabaseTransientFailures.IsTransientException(exception, cancellationToken))
        {
            throw SupabaseErrorMapper.FromException(exception, operation, objectName, Key);
        }
    }

    /// <summary>Whether a refusal means the object is absent (rather than its bucket, or anything else).</summary>
    private static bool IsObjectNotFound(SupabaseStorageException error) => error.Kind == ShardStoreErrorKind.NotFound && !error.IsBucketNotFound;

    private static string ObjectRoute(string bucket, string path) =>
        $"storage/v1/object/{Uri.EscapeDataString(bucket)}/{SupabaseStoragePaths.EscapePath(path)}";

    private static string CacheBusted(string route) =>
        $"{route}?tessera-nocache={Guid.NewGuid():N}";

    private static void BustCaches(HttpRequestMessage request)
    {
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        request.Headers.Pragma.ParseAdd("no-cache");
    }

    private static ByteArrayContent JsonContent(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = JsonType;
        return content;
    }

    private static string TusPair(string key, string value) => key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    /// <summary>Supabase's TUS endpoint takes cacheControl as seconds (stored as <c>max-age=N</c>); any other text stores <c>no-cache</c>.</summary>
    private static string TusCacheControl(string cacheControl)
    {
        const string maxAge = "max-age=";
        foreach (var part in cacheControl.Split(','))
        {
            var trimmed = part.Trim();
            if (trimmed.StartsWith(maxAge, StringComparison.OrdinalIgnoreCase)
                && int.TryParse(trimmed.AsSpan(maxAge.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds.ToString(CultureInfo.InvariantCulture);
            }
        }

        return "no-cache";
    }

    private static long ReadOffset(HttpResponseMessage response, string path)
    {
        if (response.Headers.TryGetValues("Upload-Offset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return offset;
        }

        throw new ShardStoreException(ShardStoreErrorKind.Other, path, "Supabase Storage answered a TUS request without an Upload-Offset.");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? ReadInt64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static DateTimeOffset? ReadDate(JsonElement element, string name) =>
        ReadString(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The resumable upload's Location names {Authority}, not the project URL; uploading through the project URL instead")]
    private static partial void LogForeignLocation(ILogger logger, string authority);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The resumable upload's Location path {Path} is not under the project's Storage path (a gateway that does not forward X-Forwarded-Prefix); uploading to {Expected}")]
    private static partial void LogLocationOutsideStorage(ILogger logger, string path, string expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the private Supabase Storage bucket {Bucket}")]
    private static partial void LogBucketCreated(ILogger logger, string bucket);
}
