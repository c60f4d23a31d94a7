using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Storage;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

public sealed class SupabaseShardStoreTests
{
    private const string Bucket = SupabaseTestContext.Bucket;

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_with_the_metadata_and_its_sha256()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var bytes = SupabaseTestContext.Bytes(5000);
        await t.Store.PutAsync("clip_color_shard_00001.index", bytes, new ShardPutOptions { Metadata = new Dictionary<string, string> { ["count"] = "17" } });

        var blob = await t.Store.GetAsync("clip_color_shard_00001.index");

        Assert.NotNull(blob);
        Assert.Equal(bytes, blob.Content.ToArray());
        Assert.Equal(5000, blob.Info.Length);
        Assert.Equal("17", blob.Info.Metadata!["count"]);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), blob.Info.Metadata[SupabaseShardStore.Sha256MetadataKey]);
    }

    [Fact]
    public async Task Put_stores_the_object_under_the_prefix_in_the_bucket()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("maps/id_map_color.json", "[]"u8.ToArray());

        Assert.Equal(["runs/test/maps/id_map_color.json"], t.Server.ObjectPaths(Bucket));
        Assert.Equal("application/json", t.Server.Object(Bucket, "runs/test/maps/id_map_color.json")!.ContentType);
    }

    [Fact]
    public async Task Put_creates_a_missing_private_bucket_once()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        Assert.False(t.Server.BucketExists(Bucket));

        await t.Store.PutAsync("a", new byte[] { 1 });
        await t.Store.PutAsync("b", new byte[] { 2 });

        Assert.True(t.Server.BucketExists(Bucket));
        Assert.Single(t.Server.Requests, r => r.Method == "POST" && r.Path == "/storage/v1/bucket");
    }

    [Fact]
    public async Task Put_into_a_missing_bucket_without_creation_fails_as_store_not_found()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.CreateBucketIfMissing = false);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("a", new byte[] { 1 }));

        Assert.Equal(ShardStoreErrorKind.StoreNotFound, error.Kind);
        Assert.Contains("bucket 'faiss' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supabase:CreateBucketIfMissing", error.Message, StringComparison.Ordinal);
        Assert.False(t.Server.BucketExists("faiss"));
    }

    [Fact]
    public async Task Put_without_overwrite_of_an_existing_object_throws_already_exists_from_the_409_body()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("progress.json", "{}"u8.ToArray());

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("progress.json", "{\"a\":1}"u8.ToArray(), new ShardPutOptions { Overwrite = false }));

        Assert.Equal(ShardStoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("progress.json", error.ObjectName);
        Assert.Contains("Duplicate", error.Message, StringComparison.Ordinal);
        Assert.Equal("{}", Encoding.UTF8.GetString(t.Server.ObjectContent(Bucket, "runs/test/progress.json")!));
        var last = t.Server.Requests.Last(r => r.Method == "POST" && r.Path.StartsWith("/storage/v1/object/faiss/", StringComparison.Ordinal));
        Assert.Equal("false", last.Header("x-upsert"));
        Assert.Equal(400, last.Status);
    }

    [Fact]
    public async Task Put_with_overwrite_sends_x_upsert_and_replaces_the_object()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("progress.json", "{}"u8.ToArray());
        await t.Store.PutAsync("progress.json", "{\"done\":3}"u8.ToArray(), new ShardPutOptions { Overwrite = true });

        var blob = await t.Store.GetAsync("progress.json");

        Assert.Equal("{\"done\":3}", Encoding.UTF8.GetString(blob!.Content.Span));
        Assert.All(t.Server.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/storage/v1/object/faiss/", StringComparison.Ordinal)), r => Assert.Equal("true", r.Header("x-upsert")));
    }

    [Fact]
    public async Task Put_with_a_sha256_that_does_not_match_the_bytes_is_refused()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.PutAsync("a", new byte[] { 1, 2 }, new ShardPutOptions { Metadata = new Dictionary<string, string> { ["sha256"] = new string('0', 64) } }));
    }

    [Fact]
    public async Task Get_and_get_info_of_a_missing_object_return_null()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("present", new byte[] { 1 });

        Assert.Null(await t.Store.GetAsync("absent"));
        Assert.Null(await t.Store.GetInfoAsync("absent"));
    }

    [Fact]
    public async Task Get_info_reports_length_content_type_and_user_metadata()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("m.json", new byte[123], new ShardPutOptions { ContentType = "application/vnd.tessera+json", Metadata = new Dictionary<string, string> { ["shards"] = "4" } });

        var info = await t.Store.GetInfoAsync("m.json");

        Assert.NotNull(info);
        Assert.Equal("m.json", info.Name);
        Assert.Equal(123, info.Length);
        Assert.Equal("application/vnd.tessera+json", info.ContentType);
        Assert.Equal("4", info.Metadata!["shards"]);
        Assert.NotNull(info.LastModified);
    }

    [Fact]
    public async Task Delete_returns_true_for_an_existing_object_and_false_after()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("x/y.bin", new byte[] { 1 });

        Assert.True(await t.Store.DeleteAsync("x/y.bin"));
        Assert.False(await t.Store.DeleteAsync("x/y.bin"));
        Assert.Empty(t.Server.ObjectPaths(Bucket));
    }

    [Fact]
    public async Task List_pages_through_folders_skipping_folder_entries_in_ordinal_order()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.ListPageSize = 100);
        t.Server.CreateBucket(Bucket);
        var expected = new List<string>();
        for (var i = 0; i < 230; i++)
        {
            var name = $"color/clip_color_shard_{i:D5}.index";
            expected.Add(name);
            t.Server.SeedObject(Bucket, "runs/test/" + name, new byte[i + 1]);
        }

        foreach (var name in new[] { "progress.json", "id_map_color.json", "color-notes.txt", "deep/a/b/c.bin", "color/sub/x.bin" })
        {
            expected.Add(name);
            t.Server.SeedObject(Bucket, "runs/test/" + name, new byte[3]);
        }

        t.Server.SeedObject(Bucket, "elsewhere/outside.bin", new byte[3]);

        var listed = new List<ShardObjectInfo>();
        await foreach (var info in t.Store.ListAsync())
        {
            listed.Add(info);
        }

        expected.Sort(StringComparer.Ordinal);
        Assert.Equal(expected, listed.Select(i => i.Name).ToList());
        Assert.Equal(8, listed.Single(i => i.Name == "color/clip_color_shard_00007.index").Length);
        var colorPages = t.Server.Requests.Where(r => r.Path == "/storage/v1/object/list/faiss").ToList();
        Assert.True(colorPages.Count >= 3 + 4, $"expected paging (3 pages of color/) and one call per other folder, saw {colorPages.Count}");
    }

    [Fact]
    public async Task List_with_a_name_prefix_returns_exact_ordinal_matches_only()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket(Bucket);
        foreach (var name in new[] { "clip_color_shard_00001.index", "clip_color_shard_00002.index", "clipXcolor_shard_9.index", "CLIP_color_shard_00003.index", "clip_structure_shard_00001.index" })
        {
            t.Server.SeedObject(Bucket, "runs/test/" + name, new byte[1]);
        }

        var listed = new List<string>();
        await foreach (var info in t.Store.ListAsync("clip_color_"))
        {
            listed.Add(info.Name);
        }

        Assert.Equal(["clip_color_shard_00001.index", "clip_color_shard_00002.index"], listed);
    }

    [Fact]
    public async Task Every_read_of_a_bucket_that_does_not_exist_fails_as_store_not_found_naming_the_bucket()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        var errors = new List<ShardStoreException>
        {
            await Assert.ThrowsAsync<ShardStoreException>(async () =>
            {
                await foreach (var _ in t.Store.ListAsync())
                {
                }
            }),
            await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetAsync("progress.json")),
            await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetInfoAsync("progress.json")),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(ShardStoreErrorKind.StoreNotFound, e.Kind);
            Assert.Contains("bucket 'faiss' does not exist", e.Message, StringComparison.Ordinal);
            Assert.Contains("Bucket not found", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains(t.Server.Requests, r => r.Method == "GET" && r.Path == "/storage/v1/bucket/faiss");
        Assert.False(await t.Store.DeleteAsync("progress.json"));
        Assert.False(t.Server.BucketExists("faiss"));
    }

    [Fact]
    public async Task A_listing_that_comes_back_empty_asks_for_the_bucket_once()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket(Bucket);

        for (var i = 0; i < 3; i++)
        {
            await foreach (var _ in t.Store.ListAsync())
            {
            }
        }

        Assert.Single(t.Server.Requests, r => r.Method == "GET" && r.Path == "/storage/v1/bucket/faiss");
    }

    [Fact]
    public async Task List_of_an_empty_store_yields_nothing()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket(Bucket);

        var count = 0;
        await foreach (var _ in t.Store.ListAsync())
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task Mutable_objects_are_stored_no_cache_and_shards_with_the_immutable_cache_control()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.ImmutableCacheControl = "max-age=86400");
        await t.Store.PutAsync("progress.json", "{}"u8.ToArray(), new ShardPutOptions { Mutable = true });
        await t.Store.PutAsync("clip_color_shard_00001.index", new byte[10]);

        Assert.Equal("no-cache", t.Server.Object(Bucket, "runs/test/progress.json")!.CacheControl);
        Assert.Equal("max-age=86400", t.Server.Object(Bucket, "runs/test/clip_color_shard_00001.index")!.CacheControl);
    }

    [Fact]
    public async Task Every_read_is_cache_busted_with_a_unique_query_and_no_cache_headers()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("progress.json", "{}"u8.ToArray(), new ShardPutOptions { Mutable = true });
        t.Server.ClearRequests();

        await t.Store.GetAsync("progress.json");
        await t.Store.GetAsync("progress.json");

        var reads = t.Server.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(4, reads.Count);
        Assert.All(reads, r =>
        {
            Assert.Equal("no-cache", r.Header("cache-control"));
            Assert.Equal("no-cache", r.Header("pragma"));
            Assert.Contains("tessera-nocache=", r.Query, StringComparison.Ordinal);
        });
        Assert.Equal(reads.Count, reads.Select(r => r.Query).Distinct().Count());
    }

    [Fact]
    public async Task Get_of_an_object_whose_bytes_do_not_match_its_sha256_throws_corrupt()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("clip_color_shard_00001.index", SupabaseTestContext.Bytes(1000));
        t.Server.CorruptObject(Bucket, "runs/test/clip_color_shard_00001.index");

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.GetAsync("clip_color_shard_00001.index"));

        Assert.Equal(ShardStoreErrorKind.Corrupt, error.Kind);
        Assert.Equal("clip_color_shard_00001.index", error.ObjectName);
    }

    [Fact]
    public async Task An_object_over_the_configured_limit_is_refused_before_any_upload()
    {
        await using var t = await SupabaseTestContext.StartAsync(o => o.MaxObjectBytes = 1000);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big.index", new byte[1001]));

        Assert.Equal(ShardStoreErrorKind.TooLarge, error.Kind);
        Assert.Contains("1,001", error.Message, StringComparison.Ordinal);
        Assert.Empty(t.Server.Requests);
    }

    [Fact]
    public async Task An_object_over_the_bucket_file_size_limit_is_refused_before_upload()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.CreateBucket(Bucket, fileSizeLimit: 500);
        await t.Store.PutAsync("small", new byte[500]);

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big", new byte[501]));

        Assert.Equal(ShardStoreErrorKind.TooLarge, error.Kind);
        Assert.DoesNotContain(t.Server.Requests, r => r.Path.EndsWith("/big", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_side_413_maps_to_too_large()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        t.Server.GlobalFileSizeLimit = 2000;

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => t.Store.PutAsync("big", new byte[3000]));

        Assert.Equal(ShardStoreErrorKind.TooLarge, error.Kind);
        Assert.Single(t.Server.Requests, r => r.Path == "/storage/v1/object/faiss/runs/test/big");
    }

    [Fact]
    public async Task Location_is_a_supabase_uri_without_the_project_url_or_key()
    {
        await using var t = await SupabaseTestContext.StartAsync();

        Assert.Equal("supabase://faiss/runs/test", t.Store.Location);
        Assert.DoesNotContain(t.Key, t.Store.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", t.Store.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a//b")]
    [InlineData("")]
    [InlineData("a/./b")]
    public async Task Invalid_object_names_are_rejected(string name)
    {
        await using var t = await SupabaseTestContext.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.PutAsync(name, new byte[1]));
    }

    [Theory]
    [InlineData("über.json", "'ü'")]
    [InlineData("a[1].index", "'['")]
    [InlineData("x#1.json", "'#'")]
    [InlineData("100%.bin", "'%'")]
    [InlineData("tab\there", "U+0009")]
    public async Task Object_names_the_server_refuses_are_refused_before_any_request_saying_why(string name, string culprit)
    {
        await using var t = await SupabaseTestContext.StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => t.Store.PutAsync(name, new byte[1]));

        Assert.Contains(culprit, error.Message, StringComparison.Ordinal);
        Assert.Contains("Supabase Storage", error.Message, StringComparison.Ordinal);
        Assert.Empty(t.Server.Requests);
    }

    [Fact]
    public async Task Names_with_spaces_and_the_servers_punctuation_round_trip()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        await t.Store.PutAsync("brand maps/Zurich (1) & co's @home;=+,?.json", "[1]"u8.ToArray());

        var blob = await t.Store.GetAsync("brand maps/Zurich (1) & co's @home;=+,?.json");
        var listed = new List<string>();
        await foreach (var info in t.Store.ListAsync("brand maps/"))
        {
            listed.Add(info.Name);
        }

        Assert.Equal("[1]", Encoding.UTF8.GetString(blob!.Content.Span));
        Assert.Equal(["brand maps/Zurich (1) & co's @home;=+,?.json"], listed);
    }

    [Fact]
    public async Task A_bucket_name_the_server_accepts_opens_creates_and_round_trips()
    {
        await using var t = await SupabaseTestContext.StartAsync();
        var store = ShardStores.Open(t.Services.GetServices<IShardStoreFactory>(), "supabase://odd bucket!/runs/x");

        await store.PutAsync("progress.json", "{}"u8.ToArray());
        var blob = await store.GetAsync("progress.json");

        Assert.Equal("supabase://odd bucket!/runs/x", store.Location);
        Assert.True(t.Server.BucketExists("odd bucket!"));
        Assert.Equal("{}", Encoding.UTF8.GetString(blob!.Content.Span));
    }
}
