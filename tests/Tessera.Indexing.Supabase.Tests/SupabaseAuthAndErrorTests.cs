using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Storage;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

public sealed class SupabaseAuthAndErrorTests
{
    [Fact]
    public async Task A_secret_key_goes_in_apikey_only()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        await t.Store.PutAsync("a", new byte[] { 1 });

        Assert.All(t.Server.Requests, r =>
        {
            Assert.Equal(t.Key, r.Header("apikey"));
            Assert.Null(r.Header("authorization"));
        });
    }

    [Fact]
    public async Task A_jwt_key_goes_in_apikey_and_as_a_bearer_token()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.ServiceRoleJwt);

        await t.Store.PutAsync("a", new byte[] { 1 });

        Assert.All(t.Server.Requests, r =>
        {
            Assert.Equal(t.Key, r.Header("apikey"));
            Assert.Equal("Bearer " + t.Key, r.Header("authorization"));
        });
    }

    [Fact]
    public async Task An_unknown_api_key_is_unauthorized()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: _ => "sb_secret_not_the_right_one");

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("a"));

        Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
        Assert.Contains("Invalid API key", error.Message, StringComparison.Ordinal);
        Assert.Equal(401, t.Server.Requests.Single().Status);
    }

    [Fact]
    public async Task An_expired_jwt_is_unauthorized()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.ServiceRoleJwt);
        var expired = TestJwt.Create("service_role", DateTimeOffset.UtcNow.AddHours(-1));
        using var http = new HttpClient { BaseAddress = t.Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/storage/v1/bucket/faiss");
        request.Headers.Add("apikey", t.Key);
        request.Headers.Add("Authorization", "Bearer " + expired);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var error = SupabaseErrorMapper.FromBody((int)response.StatusCode, body, "read bucket", "faiss", expired);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
        Assert.Contains("jwt expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anon_key_may_not_write_and_is_told_why()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.AnonJwt, configure: o => o.CreateBucketIfMissing = false);
        t.Server.CreateBucket("faiss");

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("a", new byte[] { 1 }));

        Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
        Assert.Contains("row-level security", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supabase:Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_key_is_unauthorized_when_describing_or_reading_an_object_not_absent()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.ExpiredServiceRoleJwt);
        t.Server.CreateBucket("faiss");
        t.Server.SeedObject("faiss", "runs/test/a", [1]);

        var info = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("a"));
        var read = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetAsync("a"));

        foreach (var error in new[] { info, read })
        {
            Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
            Assert.Contains("jwt expired", error.Message, StringComparison.Ordinal);
            Assert.Contains("statusCode 403", error.Message, StringComparison.Ordinal);
        }

        Assert.All(t.Server.Requests, r => Assert.StartsWith("/storage/v1/object/info/authenticated/", r.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(FakeSupabaseServer.AnonJwt))]
    [InlineData(nameof(FakeSupabaseServer.PublishableKey))]
    public async Task An_anon_key_under_row_level_security_is_not_allowed_rather_than_an_empty_store(string which)
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => which == nameof(FakeSupabaseServer.AnonJwt) ? s.AnonJwt : s.PublishableKey);
        t.Server.CreateBucket("faiss");
        t.Server.SeedObject("faiss", "runs/test/progress.json", "{}"u8.ToArray());

        var list = await Assert.ThrowsAsync<ShardStoreException>(async () =>
        {
            await foreach (var _ in t.Store.ListAsync())
            {
            }
        });
        var read = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetAsync("progress.json"));

        foreach (var error in new[] { list, read })
        {
            Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
            Assert.Contains("row-level security", error.Message, StringComparison.Ordinal);
            Assert.Contains("anon", error.Message, StringComparison.Ordinal);
            Assert.Contains("Bucket not found", error.Message, StringComparison.Ordinal);
            Assert.Contains("Supabase:Key", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(400, """{"statusCode":"409","error":"Duplicate","message":"The resource already exists"}""", ShardStoreErrorKind.AlreadyExists)]
    [InlineData(400, """{"statusCode":"404","error":"not_found","message":"Object not found"}""", ShardStoreErrorKind.NotFound)]
    [InlineData(400, """{"statusCode":"404","error":"Bucket not found","message":"Bucket not found"}""", ShardStoreErrorKind.NotFound)]
    [InlineData(400, """{"statusCode":"413","error":"Payload too large","message":"The object exceeded the maximum allowed size"}""", ShardStoreErrorKind.TooLarge)]
    [InlineData(400, """{"statusCode":"403","error":"Unauthorized","message":"new row violates row-level security policy"}""", ShardStoreErrorKind.Unauthorized)]
    [InlineData(400, """{"statusCode":"403","code":"AccessDenied","error":"Unauthorized","message":"jwt expired"}""", ShardStoreErrorKind.Unauthorized)]
    [InlineData(400, """{"statusCode":"400","error":"InvalidKey","message":"Invalid key: a//b"}""", ShardStoreErrorKind.Other)]
    [InlineData(400, """{"statusCode":"404","code":"NoSuchBucket","error":"NoSuchBucket","message":"Bucket not found"}""", ShardStoreErrorKind.NotFound)]
    [InlineData(400, """{"statusCode":"409","code":"KeyAlreadyExists","error":"KeyAlreadyExists","message":"The resource already exists"}""", ShardStoreErrorKind.AlreadyExists)]
    [InlineData(400, """{"statusCode":"403","code":"AccessDenied","error":"AccessDenied","message":"jwt expired"}""", ShardStoreErrorKind.Unauthorized)]
    [InlineData(400, """{"statusCode":"503","error":"DatabaseConnectionLimit","message":"try later"}""", ShardStoreErrorKind.Unavailable)]
    [InlineData(401, """{"message":"Invalid API key"}""", ShardStoreErrorKind.Unauthorized)]
    [InlineData(500, """{"statusCode":"500","error":"internal","message":"Internal Server Error"}""", ShardStoreErrorKind.Unavailable)]
    [InlineData(544, """{"statusCode":"544","error":"DatabaseTimeout","message":"timed out"}""", ShardStoreErrorKind.Unavailable)]
    [InlineData(429, "rate limited", ShardStoreErrorKind.Unavailable)]
    [InlineData(409, "Upload-Offset conflict", ShardStoreErrorKind.AlreadyExists)]
    [InlineData(413, "Maximum size exceeded", ShardStoreErrorKind.TooLarge)]
    [InlineData(400, "not json at all", ShardStoreErrorKind.Other)]
    public void Error_bodies_map_to_typed_kinds(int httpStatus, string body, ShardStoreErrorKind expected)
    {
        var error = SupabaseErrorMapper.FromBody(httpStatus, body, "upload", "x.bin", "sb_secret_k");

        Assert.Equal(expected, error.Kind);
        Assert.Equal("x.bin", error.ObjectName);
    }

    [Theory]
    [InlineData(nameof(FakeSupabaseServer.SecretKey))]
    [InlineData(nameof(FakeSupabaseServer.ServiceRoleJwt))]
    public async Task A_server_error_that_echoes_the_key_is_redacted_in_the_exception_and_logs(string which)
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => which == nameof(FakeSupabaseServer.SecretKey) ? s.SecretKey : s.ServiceRoleJwt);
        t.Server.AddFault(FaultKind.EchoKeyInError, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("a"));

        Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
        Assert.Contains(SupabaseKey.Mask, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(t.Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(t.Key[^20..], error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(t.Logs.Lines, l => l.Contains(t.Key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(nameof(FakeSupabaseServer.SecretKey))]
    [InlineData(nameof(FakeSupabaseServer.ServiceRoleJwt))]
    public async Task A_server_echo_of_the_key_in_another_letter_case_is_redacted(string which)
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => which == nameof(FakeSupabaseServer.SecretKey) ? s.SecretKey : s.ServiceRoleJwt);
        t.Server.AddFault(FaultKind.EchoKeyUpperCasedInError, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("a"));

        Assert.Contains(SupabaseKey.Mask, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(t.Key, error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(t.Logs.Lines, l => l.Contains(t.Key, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_key_pasted_into_the_store_prefix_is_masked_in_retry_warnings_logs_and_the_location()
    {
        string? key = null;
        await using var t = await SupabaseTestContext.StartAsync(configure: o => o.Prefix = $"runs/{o.Key}", key: s => key = s.SecretKey);
        t.Server.AddFault(FaultKind.InternalError, r => r.Method == "POST" && r.Path.StartsWith("/storage/v1/object/faiss/", StringComparison.Ordinal), times: 2);

        await t.Store.PutAsync("a", SupabaseTestContext.Bytes(1000));

        Assert.True(t.Logs.Lines.Any(l => l.Contains("failed transiently", StringComparison.Ordinal) && l.Contains(SupabaseKey.Mask, StringComparison.Ordinal)), string.Join("\n", t.Logs.Lines.Where(l => l.Contains("transiently", StringComparison.Ordinal) || l.Contains(key!, StringComparison.OrdinalIgnoreCase))));
        Assert.DoesNotContain(t.Logs.Lines, l => l.Contains(key!, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(key!, t.Store.Location, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_key_is_never_logged_even_at_trace_level_with_retries()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.ServiceRoleJwt);
        t.Server.AddFault(FaultKind.InternalError, r => r.Method == "POST", times: 2);
        t.Server.AddFault(FaultKind.DropResponseMidBody, r => r.Method == "GET");

        await t.Store.PutAsync("a", SupabaseTestContext.Bytes(300_000));
        await t.Store.GetAsync("a");

        var lines = t.Logs.Lines;
        Assert.Contains(lines, l => l.Contains("failed transiently", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/storage/v1/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("apikey: *", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.Contains(t.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(t.Key[(t.Key.LastIndexOf('.') + 1)..], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln", true)]
    [InlineData("sb_secret_abcdefghijklmnop", false)]
    [InlineData("sb_publishable_abcdefghijklmnop", false)]
    [InlineData("a.b", false)]
    [InlineData("a..c", false)]
    [InlineData("a.b.c.d", false)]
    [InlineData("a.b+.c", false)]
    [InlineData("", false)]
    public void Only_three_base64url_segments_make_a_jwt(string key, bool isJwt) =>
        Assert.Equal(isJwt, SupabaseKey.IsJwt(key));
}
