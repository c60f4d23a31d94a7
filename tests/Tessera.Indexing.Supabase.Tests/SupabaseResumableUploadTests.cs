using System.Text;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

/// <summary>Objects over the threshold (100 KiB in these tests) go through TUS in 64 KiB chunks.</summary>
public sealed class SupabaseResumableUploadTests
{
    private const string Tus = "/storage/v1/upload/resumable";
    private const int Chunk = 64 * 1024;

    private static bool IsPatch(RecordedRequest r) => r.Method == "PATCH" && r.Path.StartsWith(Tus + "/", StringComparison.Ordinal);

    [Fact]
    public async Task A_large_object_is_uploaded_through_tus_in_chunks_with_its_metadata()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var bytes = SupabaseTestContext.Bytes(300_000);

        await t.Store.PutAsync("clip_color_shard_00001.index", bytes, new ShardPutOptions { Metadata = new Dictionary<string, string> { ["count"] = "1000" } });

        var requests = t.Server.Requests;
        var create = Assert.Single(requests, r => r.Method == "POST" && r.Path == Tus);
        Assert.Equal("1.0.0", create.Header("tus-resumable"));
        Assert.Equal("300000", create.Header("upload-length"));
        var metadata = create.Header("upload-metadata")!.Split(',').Select(p => p.Split(' ')).ToDictionary(p => p[0], p => Encoding.UTF8.GetString(Convert.FromBase64String(p[1])));
        Assert.Equal("faiss", metadata["bucketName"]);
        Assert.Equal("runs/test/clip_color_shard_00001.index", metadata["objectName"]);
        Assert.Equal("application/octet-stream", metadata["contentType"]);
        Assert.Equal("3600", metadata["cacheControl"]);
        Assert.Contains("\"count\":\"1000\"", metadata["metadata"], StringComparison.Ordinal);

        var patches = requests.Where(IsPatch).ToList();
        Assert.Equal(["0", "65536", "131072", "196608", "262144"], patches.Select(p => p.Header("upload-offset")).ToList());
        Assert.All(patches, p => Assert.Equal("application/offset+octet-stream", p.Header("content-type")));
        Assert.DoesNotContain(requests, r => r.Path == "/storage/v1/object/faiss/runs/test/clip_color_shard_00001.index");

        var blob = await t.Store.GetAsync("clip_color_shard_00001.index");
        Assert.Equal(bytes, blob!.Content.ToArray());
        Assert.Equal("1000", blob.Info.Metadata!["count"]);
    }

    [Fact]
    public async Task A_dropped_patch_resumes_from_the_server_offset_without_resending_what_arrived()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var fault = t.Server.AddFault(FaultKind.DropRequestMidBody, r => IsPatch(r) && r.Header("upload-offset") == "65536");
        var bytes = SupabaseTestContext.Bytes(300_000, seed: 7);

        await t.Store.PutAsync("clip_color_shard_00002.index", bytes);

        Assert.Equal(1, fault.Fired);
        var requests = t.Server.Requests;
        Assert.Single(requests, r => r.Method == "HEAD" && r.Path.StartsWith(Tus + "/", StringComparison.Ordinal));
        var offsets = requests.Where(IsPatch).Select(p => p.Header("upload-offset")).ToList();
        Assert.Equal(["0", "65536", "98304", "163840", "229376", "294912"], offsets);
        Assert.Single(requests, r => r.Method == "POST" && r.Path == Tus);
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/clip_color_shard_00002.index"));
    }

    [Theory]
    [InlineData(FaultKind.InternalError)]
    [InlineData(FaultKind.TooManyRequests)]
    [InlineData(FaultKind.DropResponseMidBody)]
    [InlineData(FaultKind.Slow)]
    public async Task A_failed_patch_is_resumed_after_asking_the_server(FaultKind kind)
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var fault = t.Server.AddFault(kind, r => IsPatch(r) && r.Header("upload-offset") == "131072");
        var bytes = SupabaseTestContext.Bytes(200_000, seed: 3);

        await t.Store.PutAsync("big.index", bytes);

        Assert.Equal(1, fault.Fired);
        Assert.Contains(t.Server.Requests, r => r.Method == "HEAD");
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/big.index"));
    }

    [Fact]
    public async Task A_failed_create_is_retried()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var fault = t.Server.AddFault(FaultKind.DatabaseTimeout, r => r.Method == "POST" && r.Path == Tus);
        var bytes = SupabaseTestContext.Bytes(150_000, seed: 4);

        await t.Store.PutAsync("big.index", bytes);

        Assert.Equal(1, fault.Fired);
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/big.index"));
    }

    [Fact]
    public async Task A_later_put_of_the_same_bytes_resumes_the_upload_a_failed_put_left()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.Retry.MaxRetryAttempts = 1);
        var bytes = SupabaseTestContext.Bytes(300_000, seed: 5);
        t.Server.AddFault(FaultKind.InternalError, r => IsPatch(r) && r.Header("upload-offset") == "131072", times: 2);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", bytes));
        Assert.Equal(ShardStoreErrorKind.Unavailable, error.Kind);
        t.Server.ClearRequests();

        await t.Store.PutAsync("big.index", bytes);

        var requests = t.Server.Requests;
        Assert.DoesNotContain(requests, r => r.Method == "POST" && r.Path == Tus);
        Assert.Equal("131072", requests.First(IsPatch).Header("upload-offset"));
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/big.index"));
    }

    [Fact]
    public async Task A_large_object_that_exists_without_overwrite_is_refused_at_creation()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("big.index", SupabaseTestContext.Bytes(150_000));

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", SupabaseTestContext.Bytes(150_000, seed: 9), new ShardPutOptions { Overwrite = false }));

        Assert.Equal(ShardStoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("false", t.Server.Requests.Last(r => r.Method == "POST" && r.Path == Tus).Header("x-upsert"));
    }

    [Fact]
    public async Task A_large_mutable_object_is_stored_no_cache()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        await t.Store.PutAsync("id_map_color.json", SupabaseTestContext.Bytes(150_000), new ShardPutOptions { Mutable = true });

        Assert.Equal("no-cache", t.Server.Object("faiss", "runs/test/id_map_color.json")!.CacheControl);
    }

    [Fact]
    public async Task The_server_size_limit_on_tus_maps_to_too_large()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.GlobalFileSizeLimit = 120_000;

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", new byte[150_000]));

        Assert.Equal(ShardStoreErrorKind.TooLarge, error.Kind);
        Assert.DoesNotContain(t.Server.Requests, IsPatch);
    }

    [Fact]
    public async Task A_default_sized_object_over_fifty_megabytes_is_refused_before_upload()
    {
        await using var t = await SupabaseTestContext.StartAsync(o =>
        {
            o.MaxObjectBytes = 50 * 1024 * 1024;
            o.ResumableThresholdBytes = 6 * 1024 * 1024;
        });

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("huge.index", new byte[(50 * 1024 * 1024) + 1]));

        Assert.Equal(ShardStoreErrorKind.TooLarge, error.Kind);
        Assert.Empty(t.Server.Requests);
    }

    [Fact]
    public async Task A_location_on_another_host_is_not_followed_and_the_upload_goes_to_the_project_url()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.TusLocationBase = "http://storage.internal.invalid:5000/upload/resumable";
        var bytes = SupabaseTestContext.Bytes(150_000, seed: 11);

        await t.Store.PutAsync("big.index", bytes);

        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/big.index"));
        Assert.Equal(3, t.Server.Requests.Count(IsPatch));
        Assert.Contains(t.Logs.Lines, l => l.Contains("storage.internal.invalid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Overwriting_a_large_object_sends_x_upsert_on_every_tus_request()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("big.index", SupabaseTestContext.Bytes(150_000, seed: 1));
        var replacement = SupabaseTestContext.Bytes(150_000, seed: 2);
        t.Server.ClearRequests();

        await t.Store.PutAsync("big.index", replacement, new ShardPutOptions { Overwrite = true });

        Assert.Equal(replacement, t.Server.ObjectContent("faiss", "runs/test/big.index"));
        var tus = t.Server.Requests.Where(r => r.Path.StartsWith(Tus, StringComparison.Ordinal) && r.Method is "POST" or "PATCH").ToList();
        Assert.Equal(1 + 3, tus.Count);
        Assert.All(tus, r => Assert.Equal("true", r.Header("x-upsert")));
        Assert.DoesNotContain(t.Server.Requests, r => r.Status == 409);
    }

    [Fact]
    public async Task A_409_from_a_patch_that_is_not_an_offset_conflict_fails_at_once_with_the_server_message()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket("faiss");
        var seeded = false;
        // Another writer creates the object while this create-only upload is half done.
        t.Server.AddFault(FaultKind.Slow, r =>
        {
            if (!seeded && IsPatch(r) && r.Header("upload-offset") == "65536")
            {
                seeded = true;
                t.Server.SeedObject("faiss", "runs/test/big.index", [1, 2, 3]);
            }

            return false;
        });

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", SupabaseTestContext.Bytes(150_000), new ShardPutOptions { Overwrite = false }));

        Assert.Equal(ShardStoreErrorKind.AlreadyExists, error.Kind);
        Assert.Contains("HTTP 409", error.Message, StringComparison.Ordinal);
        Assert.Contains("The resource already exists", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("stalled", error.Message, StringComparison.Ordinal);
        Assert.Single(t.Server.Requests, r => IsPatch(r) && r.Status == 409);
        Assert.Equal([1, 2, 3], t.Server.ObjectContent("faiss", "runs/test/big.index"));
    }

    [Fact]
    public async Task A_location_without_the_gateway_prefix_is_resolved_under_the_project_url()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.GatewayForwardsPrefix = false;
        var bytes = SupabaseTestContext.Bytes(150_000, seed: 12);

        await t.Store.PutAsync("big.index", bytes);

        var create = Assert.Single(t.Server.Requests, r => r.Method == "POST" && r.Path == Tus);
        Assert.Equal(201, create.Status);
        Assert.Equal(bytes, t.Server.ObjectContent("faiss", "runs/test/big.index"));
        Assert.Equal(3, t.Server.Requests.Count(IsPatch));
        Assert.DoesNotContain(t.Server.Requests, r => r.Path.StartsWith("/upload/", StringComparison.Ordinal));
        Assert.Equal(0, t.Server.OpenUploads);
    }

    [Fact]
    public async Task An_upload_the_server_does_not_know_is_created_again_once_then_fails_with_the_server_message()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        // Every chunk finds its upload gone, as behind a proxy that loses the upload URLs.
        t.Server.AddFault(FaultKind.Slow, r =>
        {
            if (IsPatch(r))
            {
                t.Server.ExpireUploads();
            }

            return false;
        });

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", SupabaseTestContext.Bytes(150_000)));

        Assert.Contains("HTTP 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("The file for this url was not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, t.Server.Requests.Count(r => r.Method == "POST" && r.Path == Tus));
        Assert.Null(t.Server.ObjectContent("faiss", "runs/test/big.index"));
    }

    [Fact]
    public async Task The_traffic_counters_count_body_bytes_per_request_kind_and_object_category()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        await t.Store.PutAsync("clip_color_shard_00001.index", new byte[5_000]);
        await t.Store.PutAsync("clip_color_shard_00002.index", new byte[150_000]);
        await t.Store.PutAsync("clip_color_shard_00002.ids.json", new byte[700]);
        await t.Store.PutAsync("clip_color_manifest.json", new byte[300]);
        await t.Store.PutAsync("progress.json", new byte[200], new ShardPutOptions { Mutable = true });
        await t.Store.GetAsync("progress.json");

        var traffic = t.Server.Traffic;
        Assert.Equal(5_000, traffic.Bytes(RequestKind.RestUpload, ObjectCategory.Shard));
        Assert.Equal(150_000, traffic.Bytes(RequestKind.TusPatch, ObjectCategory.Shard));
        Assert.Equal(3, traffic.Requests(RequestKind.TusPatch, ObjectCategory.Shard));
        Assert.Equal(1, traffic.Requests(RequestKind.TusCreate, ObjectCategory.Shard));
        Assert.Equal(155_000, traffic.Bytes(ObjectCategory.Shard));
        Assert.Equal(700, traffic.Bytes(ObjectCategory.IdMap));
        Assert.Equal(300, traffic.Bytes(ObjectCategory.Manifest));
        Assert.Equal(200, traffic.Bytes(ObjectCategory.Progress));
        Assert.Equal(156_200, traffic.UploadedBytes);
        Assert.True(traffic.TotalBytes > traffic.UploadedBytes, "the bucket creation's JSON body is received too");
    }

    [Fact]
    public async Task A_dropped_body_counts_the_bytes_that_arrived_and_the_retry_counts_again()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.AddFault(FaultKind.DropRequestMidBody, r => r.Method == "POST" && r.Path.EndsWith("/clip_color_shard_00001.index", StringComparison.Ordinal));

        await t.Store.PutAsync("clip_color_shard_00001.index", new byte[5_000]);

        var traffic = t.Server.Traffic;
        Assert.Equal(2, traffic.Requests(RequestKind.RestUpload, ObjectCategory.Shard));
        Assert.Equal(5_000 + 2_500, traffic.Bytes(RequestKind.RestUpload, ObjectCategory.Shard));
    }
}
