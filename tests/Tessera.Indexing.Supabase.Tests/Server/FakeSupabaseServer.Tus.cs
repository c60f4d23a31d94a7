using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Tessera.Indexing.Supabase.Tests.Server;

public sealed partial class FakeSupabaseServer
{
    /// <summary>When set, TUS creation answers with a Location under this base (as a proxy that leaks its internal host name would).</summary>
    public string? TusLocationBase { get; set; }

    /// <summary>How many resumable uploads were created and not yet completed (what a file store keeps on disk).</summary>
    public int OpenUploads => _uploads.Values.Count(u => !u.Completed);

    /// <summary>Forgets every open resumable upload, as an expired upload's cleanup would (its URL then answers 404).</summary>
    public void ExpireUploads() => _uploads.Clear();

    /// <summary>
    /// TUS 1.0 (creation, core) as Supabase runs it under <c>/storage/v1/upload/resumable</c>. Like Storage's
    /// <c>onIncomingRequest</c>, every POST and PATCH checks that the caller may write the object, reading
    /// <c>x-upsert</c> from that request: without it, an object that exists is a 409.
    /// </summary>
    private async Task HandleTusAsync(HttpContext context, RecordedRequest recorded, Caller caller, string id)
    {
        context.Response.Headers["Tus-Resumable"] = "1.0.0";
        if (recorded.Method != "OPTIONS" && recorded.Header("tus-resumable") != "1.0.0")
        {
            await TusErrorAsync(context, recorded, 412, "Unsupported version");
            return;
        }

        switch (recorded.Method)
        {
            case "POST" when id.Length == 0:
                await TusCreateAsync(context, recorded, caller);
                return;
            case "HEAD":
                TusHead(context, recorded, id);
                return;
            case "PATCH":
                await TusPatchAsync(context, recorded, caller, id);
                return;
            default:
                await TusErrorAsync(context, recorded, 405, "Method not allowed");
                return;
        }
    }

    private static Task TusErrorAsync(HttpContext context, RecordedRequest recorded, int status, string message)
    {
        recorded.Status = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }

    /// <summary>Storage's <c>Uploader.canUpload</c> for a TUS request: row-level security, then a create (no <c>x-upsert</c>) of an existing object is a 409.</summary>
    private async Task<bool> TusCanUploadAsync(HttpContext context, RecordedRequest recorded, Caller caller, string bucket, string path)
    {
        if (!caller.BypassesRls)
        {
            await TusErrorAsync(context, recorded, 403, "new row violates row-level security policy");
            return false;
        }

        if (recorded.Header("x-upsert") != "true" && _objects.ContainsKey((bucket, path)))
        {
            await TusErrorAsync(context, recorded, 409, "The resource already exists");
            return false;
        }

        return true;
    }

    private async Task TusCreateAsync(HttpContext context, RecordedRequest recorded, Caller caller)
    {
        if (!long.TryParse(recorded.Header("upload-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            await TusErrorAsync(context, recorded, 400, "Upload-Length or Upload-Defer-Length header required");
            return;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (recorded.Header("upload-metadata") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Trim().Split(' ');
            metadata[parts[0]] = parts.Length > 1 ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])) : string.Empty;
        }

        if (!metadata.TryGetValue("bucketName", out var bucket) || !metadata.TryGetValue("objectName", out var path) || path.Length == 0)
        {
            await TusErrorAsync(context, recorded, 400, "Metadata header is required");
            return;
        }

        if (!StorageRules.IsValidBucketName(bucket))
        {
            await TusErrorAsync(context, recorded, 400, "Bucket name invalid");
            return;
        }

        if (!StorageRules.IsValidKey(path))
        {
            await TusErrorAsync(context, recorded, 400, $"Invalid key: {path}");
            return;
        }

        if (!_buckets.ContainsKey(bucket))
        {
            await TusErrorAsync(context, recorded, 404, "Bucket not found");
            return;
        }

        if (!await TusCanUploadAsync(context, recorded, caller, bucket, path))
        {
            return;
        }

        if (length > LimitFor(bucket))
        {
            await TusErrorAsync(context, recorded, 413, "Maximum size exceeded");
            return;
        }

        var upsert = recorded.Header("x-upsert") == "true";

        // Supabase stores cacheControl seconds as max-age=N, and anything else as no-cache.
        var cacheControl = metadata.TryGetValue("cacheControl", out var cc) && int.TryParse(cc, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? $"max-age={seconds}"
            : "no-cache";
        var upload = new TusUpload(
            bucket,
            path,
            length,
            metadata.TryGetValue("contentType", out var ct) ? ct : "application/octet-stream",
            cacheControl,
            metadata.TryGetValue("metadata", out var md) ? md : "{}",
            upsert);
        var id = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{bucket}/{path}/{Guid.NewGuid()}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _uploads[id] = upload;
        recorded.Status = 201;
        context.Response.StatusCode = 201;
        // Storage's generateUrl: the request's host, then X-Forwarded-Prefix (only when the gateway sends it), then its own path.
        var prefix = GatewayForwardsPrefix ? "/storage/v1" : string.Empty;
        context.Response.Headers.Location = TusLocationBase is null
            ? $"{context.Request.Scheme}://{context.Request.Host}{prefix}/upload/resumable/{id}"
            : $"{TusLocationBase.TrimEnd('/')}/{id}";
    }

    private void TusHead(HttpContext context, RecordedRequest recorded, string id)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (!_uploads.TryGetValue(id, out var upload))
        {
            recorded.Status = 404;
            context.Response.StatusCode = 404;
            return;
        }

        lock (upload)
        {
            context.Response.Headers["Upload-Offset"] = upload.Data.Length.ToString(CultureInfo.InvariantCulture);
        }

        context.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        recorded.Status = 200;
        context.Response.StatusCode = 200;
    }

    private async Task TusPatchAsync(HttpContext context, RecordedRequest recorded, Caller caller, string id)
    {
        if (!_uploads.TryGetValue(id, out var upload))
        {
            await TusErrorAsync(context, recorded, 404, "The file for this url was not found");
            return;
        }

        if (!await TusCanUploadAsync(context, recorded, caller, upload.Bucket, upload.Path))
        {
            return;
        }

        if (context.Request.ContentType != "application/offset+octet-stream")
        {
            await TusErrorAsync(context, recorded, 415, "Unsupported Media Type");
            return;
        }

        if (!long.TryParse(recorded.Header("upload-offset"), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            await TusErrorAsync(context, recorded, 403, "Upload-Offset header required");
            return;
        }

        var drop = context.Items.ContainsKey(DropMidBodyKey);
        var declared = context.Request.ContentLength ?? 0;
        var keep = drop ? declared / 2 : long.MaxValue;
        var scratch = new byte[64 * 1024];
        long received = 0;
        lock (upload)
        {
            if (offset != upload.Data.Length)
            {
                goto conflict;
            }
        }

        while (received < keep)
        {
            var n = await context.Request.Body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, keep - received)));
            if (n == 0)
            {
                break;
            }

            lock (upload)
            {
                if (upload.Data.Length + n > upload.Length)
                {
                    goto tooLarge;
                }

                upload.Data.Write(scratch, 0, n);
            }

            received += n;
        }

        if (drop)
        {
            // Like a file-backed TUS store, what arrived before the connection broke is kept.
            context.Abort();
            return;
        }

        long newOffset;
        lock (upload)
        {
            newOffset = upload.Data.Length;
            if (newOffset == upload.Length && !upload.Completed)
            {
                upload.Completed = true;
                var now = DateTimeOffset.UtcNow;
                _objects[(upload.Bucket, upload.Path)] = new StoredObject(Guid.NewGuid(), upload.Data.ToArray(), upload.ContentType, upload.CacheControl, upload.MetadataJson, now, now);
            }
        }

        context.Response.Headers["Upload-Offset"] = newOffset.ToString(CultureInfo.InvariantCulture);
        recorded.Status = 204;
        context.Response.StatusCode = 204;
        return;

    conflict:
        await TusErrorAsync(context, recorded, 409, "Upload-Offset conflict");
        return;

    tooLarge:
        await TusErrorAsync(context, recorded, 413, "Maximum size exceeded");
    }
}
