using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>
/// A Supabase-compatible server on 127.0.0.1 (a free port) for tests: the API gateway's <c>apikey</c> check,
/// Storage's object, bucket, list and TUS routes with its headers, status codes and JSON error bodies (most
/// errors as HTTP 400 with the real code in <c>statusCode</c>), and PostgREST's table reads. Faults can be
/// injected per request. Everything is in memory.
/// </summary>
/// <remarks>
/// Storage's behaviours follow the supabase/storage sources (see docs/supabase.md): routes that allow an
/// invalid JWT (<c>GET /object/info/{bucket}/…</c>, <c>GET /object/{bucket}/…</c>) treat a bad token as an
/// anonymous caller; row-level security hides buckets and objects from any role but <c>service_role</c>
/// (no policies are defined); <c>x-upsert</c> is read on every TUS request, not only the creation; the TUS
/// <c>Location</c> carries the gateway's prefix only when the gateway forwards <c>X-Forwarded-Prefix</c>;
/// keys and bucket names follow <see cref="StorageRules"/>; listing a missing bucket answers <c>[]</c>.
/// </remarks>
public sealed partial class FakeSupabaseServer : IAsyncDisposable
{
    public const long MiB = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Bucket, string Path), StoredObject> _objects = new();
    private readonly ConcurrentDictionary<string, TusUpload> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<Dictionary<string, object?>>> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private FakeSupabaseServer(WebApplication app) => _app = app;

    /// <summary>The server's base URL (the "project URL").</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A legacy service_role JWT key the server accepts.</summary>
    public string ServiceRoleJwt { get; } = TestJwt.Create("service_role");

    /// <summary>A legacy anon JWT key the server accepts (reads of public tables only).</summary>
    public string AnonJwt { get; } = TestJwt.Create("anon");

    /// <summary>A new-style secret key the server accepts (not a JWT: the gateway turns it into a service role).</summary>
    public string SecretKey { get; } = "sb_secret_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>A new-style publishable key the server accepts (not a JWT: the gateway turns it into the anon role).</summary>
    public string PublishableKey { get; } = "sb_publishable_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    /// <summary>
    /// A legacy service_role JWT that has expired. The gateway still lets it through (its key check compares
    /// the string, not the token's <c>exp</c>); Storage's JWT check refuses it, except on routes that allow an invalid JWT.
    /// </summary>
    public string ExpiredServiceRoleJwt { get; } = TestJwt.Create("service_role", DateTimeOffset.UtcNow.AddDays(-1));

    /// <summary>
    /// Whether the gateway tells Storage its path prefix (<c>X-Forwarded-Prefix: /storage/v1</c>), so TUS
    /// <c>Location</c>s carry it (default). Off, Storage answers <c>http://host/upload/resumable/{id}</c>.
    /// </summary>
    public bool GatewayForwardsPrefix { get; set; } = true;

    /// <summary>Request-body bytes received so far, by request kind and object category.</summary>
    public UploadTraffic Traffic => UploadTraffic.From(_requests);

    /// <summary>The project's global object size limit (default 50 MiB; tests make it smaller).</summary>
    public long GlobalFileSizeLimit { get; set; } = 50 * MiB;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public static async Task<FakeSupabaseServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeSupabaseServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Injects a fault into the next <paramref name="times"/> matching requests.</summary>
    public Fault AddFault(FaultKind kind, Func<RecordedRequest, bool> matches, int times = 1, TimeSpan? delay = null)
    {
        var fault = new Fault(kind, matches, times) { Delay = delay ?? TimeSpan.FromSeconds(6) };
        _faults.Enqueue(fault);
        return fault;
    }

    public void ClearFaults() => _faults.Clear();

    public void ClearRequests() => _requests.Clear();

    public void CreateBucket(string name, long? fileSizeLimit = null, bool isPublic = false) =>
        _buckets[name] = new BucketState(name, isPublic, fileSizeLimit, DateTimeOffset.UtcNow);

    public bool BucketExists(string name) => _buckets.ContainsKey(name);

    public byte[]? ObjectContent(string bucket, string path) => _objects.TryGetValue((bucket, path), out var o) ? o.Content : null;

    public StoredObject? Object(string bucket, string path) => _objects.TryGetValue((bucket, path), out var o) ? o : null;

    public IReadOnlyList<string> ObjectPaths(string bucket) =>
        _objects.Keys.Where(k => k.Bucket == bucket).Select(k => k.Path).Order(StringComparer.Ordinal).ToList();

    /// <summary>Replaces a stored object's bytes behind the metadata's back (to test checksum verification).</summary>
    public void CorruptObject(string bucket, string path)
    {
        var o = _objects[(bucket, path)];
        var bytes = (byte[])o.Content.Clone();
        bytes[bytes.Length / 2] ^= 0xFF;
        _objects[(bucket, path)] = o with { Content = bytes };
    }

    /// <summary>Puts an object straight into the store (no HTTP).</summary>
    public void SeedObject(string bucket, string path, byte[] content, string contentType = "application/octet-stream")
    {
        var now = DateTimeOffset.UtcNow;
        _objects[(bucket, path)] = new StoredObject(Guid.NewGuid(), content, contentType, "no-cache", "{}", now, now);
    }

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> (outside the API, no key needed), like a CDN holding product images.</summary>
    public void SetFile(string path, byte[] content) => _files[path] = content;

    /// <summary>Adds (or replaces) a PostgREST table: rows of column → value (long, string or null).</summary>
    public void SetTable(string name, IEnumerable<Dictionary<string, object?>> rows) => _tables[name] = rows.ToList();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = value.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, headers);
        _requests.Enqueue(recorded);
        request.Body = new CountingReadStream(request.Body, recorded);
        recorded.ObjectPath = ObjectPathOf(recorded);

        var fault = _faults.FirstOrDefault(f => f.Matches(recorded) && f.TryTake());
        recorded.Fault = fault?.Kind;
        try
        {
            if (fault is not null && await ApplyFaultBeforeAsync(context, fault, recorded))
            {
                return;
            }

            if (fault?.Kind is FaultKind.DropResponseMidBody or FaultKind.DropAfterProcessing)
            {
                var real = context.Response.Body;
                using var buffer = new MemoryStream();
                context.Response.Body = buffer;
                await RouteAsync(context, recorded);
                context.Response.Body = real;
                recorded.Status = context.Response.StatusCode;
                if (fault.Kind == FaultKind.DropResponseMidBody && buffer.Length > 1)
                {
                    context.Response.ContentLength = buffer.Length;
                    await real.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)(buffer.Length / 2)));
                    await context.Response.Body.FlushAsync();
                }

                context.Abort();
                return;
            }

            await RouteAsync(context, recorded);
            recorded.Status = context.Response.StatusCode;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    /// <returns>Whether the fault answered the request.</returns>
    private async Task<bool> ApplyFaultBeforeAsync(HttpContext context, Fault fault, RecordedRequest recorded)
    {
        switch (fault.Kind)
        {
            case FaultKind.TooManyRequests:
                context.Response.Headers.RetryAfter = "0";
                await WriteJsonAsync(context, 429, new { statusCode = "429", error = "too_many_requests", message = "Too many requests" }, recorded);
                return true;
            case FaultKind.InternalError:
                await WriteJsonAsync(context, 500, new { statusCode = "500", code = "InternalError", error = "internal", message = "Internal Server Error" }, recorded);
                return true;
            case FaultKind.ServiceUnavailable:
                recorded.Status = 503;
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("upstream connect error or disconnect/reset before headers");
                return true;
            case FaultKind.DatabaseTimeout:
                await WriteJsonAsync(context, 544, new { statusCode = "544", code = "DatabaseTimeout", error = "DatabaseTimeout", message = "The connection to the database timed out" }, recorded);
                return true;
            case FaultKind.BadRequestWrapping503:
                await WriteJsonAsync(context, 400, new { statusCode = "503", code = "DatabaseConnectionLimit", error = "DatabaseConnectionLimit", message = "The database has reached its maximum number of connections. Please try again later." }, recorded);
                return true;
            case FaultKind.EchoKeyInError:
                await WriteJsonAsync(context, 400, new { statusCode = "403", error = "Unauthorized", message = $"apikey {recorded.Header("apikey")} with authorization '{recorded.Header("authorization")}' is not allowed" }, recorded);
                return true;
            case FaultKind.EchoKeyUpperCasedInError:
                await WriteJsonAsync(context, 400, new { statusCode = "403", error = "Unauthorized", message = $"apikey {recorded.Header("apikey")?.ToUpperInvariant()} is not allowed" }, recorded);
                return true;
            case FaultKind.Slow:
                await Task.Delay(fault.Delay, context.RequestAborted);
                return false;
            case FaultKind.DropRequestMidBody when IsTusPatch(recorded):
                context.Items[DropMidBodyKey] = true;
                return false;
            case FaultKind.DropRequestMidBody:
                var half = (context.Request.ContentLength ?? 0) / 2;
                var scratch = new byte[8192];
                long read = 0;
                while (read < half)
                {
                    var n = await context.Request.Body.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, half - read)));
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                context.Abort();
                return true;
            default:
                return false;
        }
    }

    private const string DropMidBodyKey = "drop-mid-body";

    /// <summary>The object a Storage request is about (bucket-relative), known before routing so a fault that cuts the request still counts it.</summary>
    private string? ObjectPathOf(RecordedRequest r)
    {
        const string objectRoute = "/storage/v1/object/";
        const string tusRoute = "/storage/v1/upload/resumable";
        if (r.Path.StartsWith(objectRoute, StringComparison.Ordinal))
        {
            var rest = r.Path[objectRoute.Length..];
            foreach (var prefix in new[] { "list/", "info/", "authenticated/", "public/" })
            {
                rest = rest.StartsWith(prefix, StringComparison.Ordinal) ? rest[prefix.Length..] : rest;
            }

            rest = rest.StartsWith("authenticated/", StringComparison.Ordinal) ? rest["authenticated/".Length..] : rest;
            var path = SplitObject(rest).Path;
            return path.Length == 0 ? null : path;
        }

        if (r.Path.StartsWith(tusRoute + "/", StringComparison.Ordinal))
        {
            return _uploads.TryGetValue(r.Path[(tusRoute.Length + 1)..], out var upload) ? upload.Path : null;
        }

        if (r.Path == tusRoute && r.Header("upload-metadata") is { } metadata)
        {
            foreach (var pair in metadata.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Trim().Split(' ');
                if (parts[0] == "objectName" && parts.Length > 1)
                {
                    try
                    {
                        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
                    }
                    catch (FormatException)
                    {
                        return null;
                    }
                }
            }
        }

        return null;
    }

    private static bool IsTusPatch(RecordedRequest r) => r.Method == "PATCH" && r.Path.StartsWith("/storage/v1/upload/resumable/", StringComparison.Ordinal);

    private Task RouteAsync(HttpContext context, RecordedRequest recorded)
    {
        var path = recorded.Path;
        if (_files.TryGetValue(path, out var file))
        {
            recorded.Status = 200;
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = file.Length;
            return context.Response.Body.WriteAsync(file, context.RequestAborted).AsTask();
        }

        if (!AuthorizeGateway(context, recorded, out var gatewayError))
        {
            return gatewayError!;
        }

        if (path.StartsWith("/rest/v1/", StringComparison.Ordinal))
        {
            return HandleRestAsync(context, recorded);
        }

        if (path.StartsWith("/storage/v1/", StringComparison.Ordinal))
        {
            return HandleStorageAsync(context, recorded);
        }

        return WriteJsonAsync(context, 404, new { message = "no Route matched with those values" }, recorded);
    }

    /// <summary>The gateway (Kong): every request needs a known <c>apikey</c>; new secret keys become the service role.</summary>
    private bool AuthorizeGateway(HttpContext context, RecordedRequest recorded, out Task? error)
    {
        var apikey = recorded.Header("apikey");
        if (string.IsNullOrEmpty(apikey))
        {
            error = WriteJsonAsync(context, 401, new { message = "No API key found in request", hint = "No `apikey` request header or url param was found." }, recorded);
            return false;
        }

        if (apikey != ServiceRoleJwt && apikey != AnonJwt && apikey != SecretKey && apikey != PublishableKey && apikey != ExpiredServiceRoleJwt)
        {
            error = WriteJsonAsync(context, 401, new { message = "Invalid API key", hint = "Double check your Supabase `anon` or `service_role` API key." }, recorded);
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The role the request acts as, or an error as Storage's JWT check words it.</summary>
    private (string? Role, string? Error) Role(RecordedRequest recorded)
    {
        var authorization = recorded.Header("authorization");
        if (string.IsNullOrEmpty(authorization))
        {
            // The gateway turns a secret key into the service role and a publishable key into anon; a legacy
            // JWT key must come as a bearer token too.
            var apikey = recorded.Header("apikey");
            return apikey == SecretKey ? ("service_role", null) : apikey == PublishableKey ? ("anon", null) : (null, "jwt must be provided");
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "Invalid Compact JWS");
        }

        return TestJwt.Verify(authorization["Bearer ".Length..].Trim());
    }

    private static Task WriteJsonAsync(HttpContext context, int status, object body, RecordedRequest recorded)
    {
        recorded.Status = status;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    /// <summary>
    /// Storage's error shape (<c>StorageBackendError.render</c>): HTTP 400 (500 stays 500) with the real status in
    /// <c>statusCode</c>, the error code in <c>code</c>, and in <c>error</c> the older name where one exists.
    /// </summary>
    private static Task StorageErrorAsync(HttpContext context, RecordedRequest recorded, int statusCode, string code, string error, string message) =>
        WriteJsonAsync(context, statusCode == 500 ? 500 : 400, new { statusCode = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), code, error, message }, recorded);

    private static Task NoSuchBucketAsync(HttpContext context, RecordedRequest recorded) =>
        StorageErrorAsync(context, recorded, 404, "NoSuchBucket", "Bucket not found", "Bucket not found");

    private static Task NoSuchKeyAsync(HttpContext context, RecordedRequest recorded) =>
        StorageErrorAsync(context, recorded, 404, "NoSuchKey", "not_found", "Object not found");

    private static Task RowLevelSecurityAsync(HttpContext context, RecordedRequest recorded) =>
        StorageErrorAsync(context, recorded, 403, "AccessDenied", "Unauthorized", "new row violates row-level security policy");

    private static Task DuplicateAsync(HttpContext context, RecordedRequest recorded) =>
        StorageErrorAsync(context, recorded, 409, "KeyAlreadyExists", "Duplicate", "The resource already exists");

    private sealed record BucketState(string Name, bool Public, long? FileSizeLimit, DateTimeOffset Created);

    private sealed class TusUpload(string bucket, string path, long length, string contentType, string cacheControl, string metadataJson, bool upsert)
    {
        public string Bucket { get; } = bucket;

        public string Path { get; } = path;

        public long Length { get; } = length;

        public string ContentType { get; } = contentType;

        public string CacheControl { get; } = cacheControl;

        public string MetadataJson { get; } = metadataJson;

        public bool Upsert { get; } = upsert;

        public MemoryStream Data { get; } = new();

        public bool Completed { get; set; }
    }
}
