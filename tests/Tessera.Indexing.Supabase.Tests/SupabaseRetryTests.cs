using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

public sealed class SupabaseRetryTests
{
    private const string ObjectPath = "/storage/v1/object/faiss/runs/test/clip_color_shard_00001.index";
    private const string DownloadPath = "/storage/v1/object/authenticated/faiss/runs/test/clip_color_shard_00001.index";

    public static TheoryData<FaultKind> TransientFaults =>
    [
        FaultKind.TooManyRequests,
        FaultKind.InternalError,
        FaultKind.ServiceUnavailable,
        FaultKind.DatabaseTimeout,
        FaultKind.BadRequestWrapping503,
        FaultKind.DropRequestMidBody,
        FaultKind.DropResponseMidBody,
        FaultKind.Slow,
    ];

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task An_upload_is_retried_after_a_transient_fault_and_stored_once(FaultKind kind)
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var fault = t.Server.AddFault(kind, r => r.Method == "POST" && r.Path == ObjectPath);
        var bytes = SupabaseTestContext.Bytes(20_000);

        await t.Store.PutAsync("clip_color_shard_00001.index", bytes, new ShardPutOptions { Overwrite = false });

        Assert.Equal(1, fault.Fired);
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/clip_color_shard_00001.index"));
        Assert.Equal(2, t.Server.Requests.Count(r => r.Method == "POST" && r.Path == ObjectPath));
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_download_is_retried_after_a_transient_fault(FaultKind kind)
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var bytes = SupabaseTestContext.Bytes(20_000);
        await t.Store.PutAsync("clip_color_shard_00001.index", bytes);
        var fault = t.Server.AddFault(kind, r => r.Method == "GET" && r.Path == DownloadPath);

        var blob = await t.Store.GetAsync("clip_color_shard_00001.index");

        Assert.Equal(1, fault.Fired);
        Assert.Equal(bytes, blob!.Content.ToArray());
        Assert.Equal(2, t.Server.Requests.Count(r => r.Method == "GET" && r.Path == DownloadPath));
    }

    [Theory]
    [InlineData(FaultKind.InternalError)]
    [InlineData(FaultKind.DropResponseMidBody)]
    [InlineData(FaultKind.TooManyRequests)]
    public async Task Info_list_and_delete_are_retried_after_a_transient_fault(FaultKind kind)
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("a.bin", new byte[] { 1 });
        var info = t.Server.AddFault(kind, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal));
        var list = t.Server.AddFault(kind, r => r.Path.StartsWith("/storage/v1/object/list/", StringComparison.Ordinal));
        var delete = t.Server.AddFault(kind, r => r.Method == "DELETE");

        Assert.NotNull(await t.Store.GetInfoAsync("a.bin"));
        var names = new List<string>();
        await foreach (var item in t.Store.ListAsync())
        {
            names.Add(item.Name);
        }

        var deleted = await t.Store.DeleteAsync("a.bin");

        // A delete whose answer was lost deleted the object on the first attempt; the retry finds nothing to delete.
        Assert.Equal(kind != FaultKind.DropResponseMidBody, deleted);
        Assert.Empty(t.Server.ObjectPaths("faiss"));
        Assert.Equal(["a.bin"], names);
        Assert.Equal([1, 1, 1], new[] { info.Fired, list.Fired, delete.Fired });
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_a_success_when_the_same_bytes_are_stored()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var fault = t.Server.AddFault(FaultKind.DropAfterProcessing, r => r.Method == "POST" && r.Path == ObjectPath);
        var bytes = SupabaseTestContext.Bytes(1000);

        await t.Store.PutAsync("clip_color_shard_00001.index", bytes, new ShardPutOptions { Overwrite = false });

        Assert.Equal(1, fault.Fired);
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/clip_color_shard_00001.index"));
        var posts = t.Server.Requests.Where(r => r.Method == "POST" && r.Path == ObjectPath).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(400, posts[1].Status);
    }

    [Fact]
    public async Task A_duplicate_is_not_retried()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("clip_color_shard_00001.index", new byte[] { 1 });
        t.Server.ClearRequests();

        await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("clip_color_shard_00001.index", new byte[] { 2 }, new ShardPutOptions { Overwrite = false }));

        Assert.Single(t.Server.Requests, r => r.Method == "POST" && r.Path == ObjectPath);
    }

    [Fact]
    public async Task An_unauthorized_call_is_not_retried()
    {
        await using var t = await SupabaseTestContext.StartAsync(key: s => s.ExpiredServiceRoleJwt);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("x"));

        Assert.Equal(ShardStoreErrorKind.Unauthorized, error.Kind);
        Assert.Single(t.Server.Requests);
    }

    [Fact]
    public async Task A_not_found_delete_is_not_retried()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket("faiss");

        Assert.False(await t.Store.DeleteAsync("missing"));

        Assert.Single(t.Server.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Failures_that_outlast_the_retries_become_unavailable()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Retry.MaxRetryAttempts = 2);
        await t.Store.PutAsync("a", new byte[] { 1 });
        var fault = t.Server.AddFault(FaultKind.InternalError, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal), times: 100);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetAsync("a"));

        Assert.Equal(ShardStoreErrorKind.Unavailable, error.Kind);
        Assert.Equal(3, fault.Fired);
    }

    [Fact]
    public async Task Dropped_connections_that_outlast_the_retries_become_unavailable_with_the_cause()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Retry.MaxRetryAttempts = 1);
        await t.Store.PutAsync("a", new byte[] { 1 });
        var fault = t.Server.AddFault(FaultKind.DropResponseMidBody, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal), times: 100);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("a"));

        Assert.Equal(ShardStoreErrorKind.Unavailable, error.Kind);
        Assert.NotNull(error.InnerException);
        Assert.Equal(2, fault.Fired);
    }

    [Fact]
    public async Task A_cancelled_call_is_not_retried()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(30));
        await t.Store.PutAsync("a", new byte[] { 1 });
        t.Server.AddFault(FaultKind.Slow, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal), times: 100, delay: TimeSpan.FromSeconds(20));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => t.Store.GetInfoAsync("a", cancel.Token));

        Assert.Single(t.Server.Requests, r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal));
    }
}
