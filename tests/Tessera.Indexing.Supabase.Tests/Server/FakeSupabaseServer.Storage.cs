using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Tessera.Indexing.Supabase.Tests.Server;

public sealed partial class FakeSupabaseServer
{
    /// <summary>
    /// Storage's routes. The JWT check refuses a bad token (HTTP 400, statusCode 403, the verifier's message), except
    /// on the routes that allow an invalid JWT, where the caller becomes an unauthenticated anon. Every role but
    /// <c>service_role</c> is subject to row-level security, and no policy grants it anything.
    /// </summary>
    private async Task HandleStorageAsync(HttpContext context, RecordedRequest recorded)
    {
        var path = recorded.Path["/storage/v1/".Length..];
        var method = recorded.Method;
        var (role, jwtError) = Role(recorded);
        var authenticated = role is not null;
        if (!authenticated)
        {
            if (!AllowsInvalidJwt(method, path))
            {
                await StorageErrorAsync(context, recorded, 403, "AccessDenied", "Unauthorized", jwtError ?? "invalid jwt");
                return;
            }

            role = "anon";
        }

        var caller = new Caller(role!, authenticated);
        if (path.StartsWith("upload/resumable", StringComparison.Ordinal))
        {
            await HandleTusAsync(context, recorded, caller, path["upload/resumable".Length..].TrimStart('/'));
            return;
        }

        if (path == "bucket" && method == "POST")
        {
            await CreateBucketAsync(context, recorded, caller);
            return;
        }

        if (path.StartsWith("bucket/", StringComparison.Ordinal) && method == "GET")
        {
            await GetBucketAsync(context, recorded, caller, Uri.UnescapeDataString(path["bucket/".Length..]));
            return;
        }

        if (path.StartsWith("object/list/", StringComparison.Ordinal) && method == "POST")
        {
            await ListAsync(context, recorded, caller, Uri.UnescapeDataString(path["object/list/".Length..]));
            return;
        }

        if (path.StartsWith("object/info/", StringComparison.Ordinal) && method == "GET")
        {
            var rest = path["object/info/".Length..];
            rest = rest.StartsWith("authenticated/", StringComparison.Ordinal) ? rest["authenticated/".Length..] : rest;
            await ReadObjectAsync(context, recorded, caller, rest, infoOnly: true);
            return;
        }

        if (path.StartsWith("object/", StringComparison.Ordinal))
        {
            var rest = path["object/".Length..];
            if (method == "GET" && rest.StartsWith("authenticated/", StringComparison.Ordinal))
            {
                rest = rest["authenticated/".Length..];
            }

            switch (method)
            {
                case "POST" or "PUT":
                    await UploadAsync(context, recorded, caller, rest, update: method == "PUT");
                    return;
                case "GET":
                    await ReadObjectAsync(context, recorded, caller, rest, infoOnly: false);
                    return;
                case "DELETE":
                    await DeleteAsync(context, recorded, caller, rest);
                    return;
            }
        }

        await WriteJsonAsync(context, 404, new { statusCode = "404", error = "Not Found", message = $"Route {method}:{recorded.Path} not found" }, recorded);
    }

    /// <summary>The routes registered with <c>allowInvalidJwt</c>: the deprecated info route and the plain object GET.</summary>
    private static bool AllowsInvalidJwt(string method, string path) =>
        method == "GET"
        && ((path.StartsWith("object/info/", StringComparison.Ordinal) && !path.StartsWith("object/info/authenticated/", StringComparison.Ordinal))
            || (path.StartsWith("object/", StringComparison.Ordinal) && !path.StartsWith("object/authenticated/", StringComparison.Ordinal)
                && !path.StartsWith("object/info/", StringComparison.Ordinal) && !path.StartsWith("object/list/", StringComparison.Ordinal)));

    /// <summary>Who a request acts as: its role, and whether its JWT was valid.</summary>
    private readonly record struct Caller(string Role, bool IsAuthenticated)
    {
        /// <summary>Only the service role bypasses row-level security (and no policy grants any other role anything).</summary>
        public bool BypassesRls => Role == "service_role";
    }

    private static (string Bucket, string Path) SplitObject(string rest)
    {
        var slash = rest.IndexOf('/');
        return slash < 0
            ? (Uri.UnescapeDataString(rest), string.Empty)
            : (Uri.UnescapeDataString(rest[..slash]), string.Join('/', rest[(slash + 1)..].Split('/').Select(Uri.UnescapeDataString)));
    }

    private long LimitFor(string bucket) =>
        _buckets.TryGetValue(bucket, out var b) && b.FileSizeLimit is { } limit ? Math.Min(limit, GlobalFileSizeLimit) : GlobalFileSizeLimit;

    private async Task CreateBucketAsync(HttpContext context, RecordedRequest recorded, Caller caller)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        var name = root.TryGetProperty("name", out var n) ? n.GetString() : null;
        if (string.IsNullOrEmpty(name))
        {
            await WriteJsonAsync(context, 400, new { statusCode = "400", error = "Bad Request", message = "body must have required property 'name'" }, recorded);
            return;
        }

        var id = root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : name;
        if (!StorageRules.IsValidBucketName(id) || !StorageRules.IsValidBucketName(name))
        {
            await StorageErrorAsync(context, recorded, 400, "InvalidBucketName", "Invalid Input", "Bucket name invalid");
            return;
        }

        if (!caller.BypassesRls)
        {
            await RowLevelSecurityAsync(context, recorded);
            return;
        }

        long? limit = root.TryGetProperty("file_size_limit", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt64() : null;
        var isPublic = root.TryGetProperty("public", out var p) && p.ValueKind == JsonValueKind.True;
        lock (_gate)
        {
            if (_buckets.ContainsKey(id))
            {
                goto duplicate;
            }

            _buckets[id] = new BucketState(id, isPublic, limit, DateTimeOffset.UtcNow);
        }

        await WriteJsonAsync(context, 200, new { name }, recorded);
        return;

    duplicate:
        await StorageErrorAsync(context, recorded, 409, "BucketAlreadyExists", "Duplicate", "The resource already exists");
    }

    /// <summary>The bucket as the caller's role sees it through row-level security (anon sees none).</summary>
    private async Task GetBucketAsync(HttpContext context, RecordedRequest recorded, Caller caller, string name)
    {
        if (!caller.BypassesRls || !_buckets.TryGetValue(name, out var bucket))
        {
            await NoSuchBucketAsync(context, recorded);
            return;
        }

        await WriteJsonAsync(context, 200, new
        {
            id = bucket.Name,
            name = bucket.Name,
            owner = string.Empty,
            @public = bucket.Public,
            file_size_limit = bucket.FileSizeLimit,
            allowed_mime_types = (string[]?)null,
            created_at = bucket.Created.ToString("O"),
            updated_at = bucket.Created.ToString("O"),
        }, recorded);
    }

    private async Task UploadAsync(HttpContext context, RecordedRequest recorded, Caller caller, string rest, bool update)
    {
        var (bucket, path) = SplitObject(rest);
        if (!StorageRules.IsValidKey(path))
        {
            await StorageErrorAsync(context, recorded, 400, "InvalidKey", "InvalidKey", $"Invalid key: {path}");
            return;
        }

        if (!_buckets.ContainsKey(bucket))
        {
            await NoSuchBucketAsync(context, recorded);
            return;
        }

        if (!caller.BypassesRls)
        {
            await RowLevelSecurityAsync(context, recorded);
            return;
        }

        if (context.Request.ContentLength is { } declared && declared > LimitFor(bucket))
        {
            await StorageErrorAsync(context, recorded, 413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size");
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var content = buffer.ToArray();
        if (content.Length > LimitFor(bucket))
        {
            await StorageErrorAsync(context, recorded, 413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size");
            return;
        }

        var upsert = recorded.Header("x-upsert") == "true";
        var metadataJson = "{}";
        if (recorded.Header("x-metadata") is { } encoded)
        {
            try
            {
                var json = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                using var _ = JsonDocument.Parse(json);
                metadataJson = json;
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                // Supabase ignores metadata it cannot read.
            }
        }

        var now = DateTimeOffset.UtcNow;
        var stored = new StoredObject(Guid.NewGuid(), content, context.Request.ContentType ?? "application/octet-stream", recorded.Header("cache-control") ?? "no-cache", metadataJson, now, now);
        lock (_gate)
        {
            var exists = _objects.TryGetValue((bucket, path), out var existing);
            if (update && !exists)
            {
                goto notFound;
            }

            if (!update && !upsert && exists)
            {
                goto duplicate;
            }

            _objects[(bucket, path)] = exists ? stored with { Id = existing!.Id, Created = existing.Created } : stored;
        }

        await WriteJsonAsync(context, 200, new { Id = stored.Id, Key = $"{bucket}/{path}" }, recorded);
        return;

    notFound:
        await NoSuchKeyAsync(context, recorded);
        return;

    duplicate:
        await DuplicateAsync(context, recorded);
    }

    /// <summary>
    /// <c>GET /object/{info/}[authenticated/]{bucket}/{path}</c>: the bucket is looked up as the superuser (a missing one,
    /// or a private one for an unauthenticated caller, is <c>Bucket not found</c>); the object as the caller, through
    /// row-level security, unless the bucket is public.
    /// </summary>
    private async Task ReadObjectAsync(HttpContext context, RecordedRequest recorded, Caller caller, string rest, bool infoOnly)
    {
        var (bucketName, path) = SplitObject(rest);
        if (!_buckets.TryGetValue(bucketName, out var bucket) || (!caller.IsAuthenticated && !bucket.Public))
        {
            await NoSuchBucketAsync(context, recorded);
            return;
        }

        if (!(bucket.Public || caller.BypassesRls) || !_objects.TryGetValue((bucketName, path), out var o))
        {
            await NoSuchKeyAsync(context, recorded);
            return;
        }

        if (infoOnly)
        {
            await InfoAsync(context, recorded, bucketName, path, o);
        }
        else
        {
            await DownloadAsync(context, recorded, o);
        }
    }

    private static async Task DownloadAsync(HttpContext context, RecordedRequest recorded, StoredObject o)
    {
        recorded.Status = 200;
        context.Response.StatusCode = 200;
        context.Response.ContentType = o.ContentType;
        context.Response.ContentLength = o.Content.Length;
        context.Response.Headers.CacheControl = o.CacheControl;
        context.Response.Headers.ETag = o.ETag;
        context.Response.Headers.LastModified = o.Updated.ToString("R", CultureInfo.InvariantCulture);
        await context.Response.Body.WriteAsync(o.Content, context.RequestAborted);
    }

    private static async Task InfoAsync(HttpContext context, RecordedRequest recorded, string bucket, string path, StoredObject o)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = o.ETag;
        using var metadata = JsonDocument.Parse(o.UserMetadataJson);
        await WriteJsonAsync(context, 200, new
        {
            id = o.Id,
            name = path,
            version = o.Id,
            bucket_id = bucket,
            size = o.Content.Length,
            content_type = o.ContentType,
            cache_control = o.CacheControl,
            etag = o.ETag,
            metadata = metadata.RootElement,
            last_modified = o.Updated.ToString("O"),
            created_at = o.Created.ToString("O"),
        }, recorded);
    }

    /// <summary>Deletes through row-level security: an object the caller cannot see (or that does not exist, or whose bucket does not) is not found.</summary>
    private async Task DeleteAsync(HttpContext context, RecordedRequest recorded, Caller caller, string rest)
    {
        var (bucket, path) = SplitObject(rest);
        if (!caller.BypassesRls || !_objects.TryRemove((bucket, path), out _))
        {
            await NoSuchKeyAsync(context, recorded);
            return;
        }

        await WriteJsonAsync(context, 200, new { message = "Successfully deleted" }, recorded);
    }

    /// <summary>
    /// Storage's list: the direct children of the folder <c>prefix</c>, files and folders (folders with a null id and
    /// metadata), names starting with <c>search</c> case-insensitively, sorted, paged by <c>offset</c>/<c>limit</c> (default 100).
    /// Like the real <c>storage.search</c> function, a bucket that does not exist (or that row-level security hides) lists as <c>[]</c>.
    /// </summary>
    private async Task ListAsync(HttpContext context, RecordedRequest recorded, Caller caller, string bucket)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var root = body.RootElement;
        if (!root.TryGetProperty("prefix", out var prefixElement) || prefixElement.ValueKind != JsonValueKind.String)
        {
            await WriteJsonAsync(context, 400, new { statusCode = "400", error = "Bad Request", message = "body must have required property 'prefix'" }, recorded);
            return;
        }

        if (!_buckets.ContainsKey(bucket) || !caller.BypassesRls)
        {
            await WriteJsonAsync(context, 200, Array.Empty<object>(), recorded);
            return;
        }

        var folder = prefixElement.GetString()!.Trim('/');
        var limit = root.TryGetProperty("limit", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt32() : 100;
        var offset = root.TryGetProperty("offset", out var off) && off.ValueKind == JsonValueKind.Number ? off.GetInt32() : 0;
        var search = root.TryGetProperty("search", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        var descending = root.TryGetProperty("sortBy", out var sort) && sort.TryGetProperty("order", out var order) && order.GetString() == "desc";

        var start = folder.Length == 0 ? string.Empty : folder + "/";
        var files = new List<(string Name, StoredObject Object)>();
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ((b, path), o) in _objects)
        {
            if (b != bucket || !path.StartsWith(start, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = path[start.Length..];
            var slash = rest.IndexOf('/');
            var name = slash < 0 ? rest : rest[..slash];
            if (!name.StartsWith(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (slash < 0)
            {
                files.Add((name, o));
            }
            else
            {
                folders.Add(name);
            }
        }

        var entries = folders.Select(f => (Name: f, Object: (StoredObject?)null))
            .Concat(files.Select(f => (f.Name, Object: (StoredObject?)f.Object)))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        if (descending)
        {
            entries.Reverse();
        }

        var page = entries.Skip(offset).Take(limit).Select(e => e.Object is null
            ? (object)new { name = e.Name, id = (string?)null, updated_at = (string?)null, created_at = (string?)null, last_accessed_at = (string?)null, metadata = (object?)null }
            : new
            {
                name = e.Name,
                id = e.Object.Id.ToString(),
                updated_at = e.Object.Updated.ToString("O"),
                created_at = e.Object.Created.ToString("O"),
                last_accessed_at = e.Object.Updated.ToString("O"),
                metadata = new
                {
                    eTag = e.Object.ETag,
                    size = e.Object.Content.Length,
                    mimetype = e.Object.ContentType,
                    cacheControl = e.Object.CacheControl,
                    lastModified = e.Object.Updated.ToString("O"),
                    contentLength = e.Object.Content.Length,
                    httpStatusCode = 200,
                },
            }).ToList();
        await WriteJsonAsync(context, 200, page, recorded);
    }
}
