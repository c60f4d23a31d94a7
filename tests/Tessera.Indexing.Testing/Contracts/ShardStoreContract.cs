using Tessera.Indexing.Storage;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="IShardStore"/> must do, from the interface's documentation: put/get/describe/list/delete
/// by <c>/</c>-separated relative names, missing objects read as <see langword="null"/> (delete as
/// <see langword="false"/>), <see cref="ShardPutOptions.Overwrite"/> on by default and refused with
/// <see cref="ShardStoreErrorKind.AlreadyExists"/> when off, listings in ordinal name order without folder entries,
/// content type and user metadata kept, cancellation honoured, thread-safe, and names that could escape the store
/// refused with <see cref="ArgumentException"/>.
/// </summary>
/// <remarks>
/// A concrete test class fills in <see cref="CreateStoreAsync"/> (a fresh, empty store per call) and, where the
/// store needs it, <see cref="DisposeAsync"/> to stop what it started.
/// </remarks>
public abstract class ShardStoreContract : IAsyncLifetime
{
    /// <summary>A fresh, empty store. Called once per test.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IShardStore> CreateStoreAsync();

    /// <summary>Strings that must never appear in <see cref="IShardStore.Location"/> (keys, passwords).</summary>
    protected virtual IEnumerable<string> Secrets => [];

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Names every store refuses: empty, rooted, with empty, <c>.</c> or <c>..</c> segments, a trailing slash, a backslash or a NUL.</summary>
    /// <returns>The names.</returns>
    public static TheoryData<string> RefusedNames() =>
    [
        string.Empty,
        "/absolute",
        "../escape",
        "a/../../escape",
        "..",
        ".",
        "a/./b",
        "a//b",
        "folder/",
        "a\\b",
        "a\0b",
    ];

    [Fact]
    public async Task Put_then_get_returns_the_same_bytes_and_length()
    {
        var store = await CreateStoreAsync();
        var bytes = Bytes(1000, seed: 1);

        var put = await store.PutAsync("a/b.index", bytes);
        var blob = await store.GetAsync("a/b.index");

        Assert.Equal("a/b.index", put.Name);
        Assert.Equal(bytes.Length, put.Length);
        Assert.NotNull(blob);
        Assert.Equal(bytes, blob.Content.ToArray());
        Assert.Equal("a/b.index", blob.Info.Name);
        Assert.Equal(bytes.Length, blob.Info.Length);
    }

    [Fact]
    public async Task An_empty_object_is_stored_and_read_back_empty()
    {
        var store = await CreateStoreAsync();

        await store.PutAsync("empty.bin", ReadOnlyMemory<byte>.Empty);
        var blob = await store.GetAsync("empty.bin");
        var info = await store.GetInfoAsync("empty.bin");

        Assert.NotNull(blob);
        Assert.Equal(0, blob.Content.Length);
        Assert.Equal(0, info!.Length);
    }

    [Fact]
    public async Task A_larger_object_round_trips_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var bytes = Bytes(150_000, seed: 2);

        await store.PutAsync("shards/big.index", bytes);
        var blob = await store.GetAsync("shards/big.index");

        Assert.Equal(bytes, blob!.Content.ToArray());
    }

    [Fact]
    public async Task Content_type_and_metadata_are_kept()
    {
        var store = await CreateStoreAsync();
        var metadata = new Dictionary<string, string> { ["count"] = "17", ["model"] = "clip" };

        await store.PutAsync("maps/id_map.json", "[]"u8.ToArray(), new ShardPutOptions { ContentType = "application/json", Metadata = metadata });
        var info = await store.GetInfoAsync("maps/id_map.json");
        var blob = await store.GetAsync("maps/id_map.json");

        foreach (var described in new[] { info!, blob!.Info })
        {
            Assert.Equal("maps/id_map.json", described.Name);
            Assert.Equal(2, described.Length);
            Assert.Equal("application/json", described.ContentType);
            Assert.NotNull(described.Metadata);
            foreach (var (key, value) in metadata)
            {
                Assert.Equal(value, described.Metadata[key]);
            }
        }
    }

    [Fact]
    public async Task Missing_objects_read_as_null_and_delete_as_false()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("present.bin", new byte[] { 1 });

        Assert.Null(await store.GetAsync("missing.bin"));
        Assert.Null(await store.GetInfoAsync("missing.bin"));
        Assert.Null(await store.GetAsync("deep/missing/object.bin"));
        Assert.Null(await store.GetInfoAsync("deep/missing/object.bin"));
        Assert.False(await store.DeleteAsync("missing.bin"));
        Assert.False(await store.DeleteAsync("deep/missing/object.bin"));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object_by_default()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("progress.json", "{\"v\":1}"u8.ToArray(), new ShardPutOptions { Mutable = true });

        await store.PutAsync("progress.json", "{\"v\":22}"u8.ToArray(), new ShardPutOptions { Mutable = true });
        var blob = await store.GetAsync("progress.json");

        Assert.Equal("{\"v\":22}"u8.ToArray(), blob!.Content.ToArray());
        Assert.Equal(8, blob.Info.Length);
        Assert.Equal(8, (await store.GetInfoAsync("progress.json"))!.Length);
    }

    [Fact]
    public async Task Put_without_overwrite_refuses_an_existing_object_as_AlreadyExists_and_keeps_it()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("shard_00001.index", new byte[] { 1, 2, 3 });

        var error = await Assert.ThrowsAsync<ShardStoreException>(
            () => store.PutAsync("shard_00001.index", new byte[] { 9 }, new ShardPutOptions { Overwrite = false }));

        Assert.Equal(ShardStoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("shard_00001.index", error.ObjectName);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await store.GetAsync("shard_00001.index"))!.Content.ToArray());
    }

    [Fact]
    public async Task Put_without_overwrite_stores_a_new_object()
    {
        var store = await CreateStoreAsync();

        await store.PutAsync("new.bin", new byte[] { 4, 5 }, new ShardPutOptions { Overwrite = false });

        Assert.Equal(new byte[] { 4, 5 }, (await store.GetAsync("new.bin"))!.Content.ToArray());
    }

    [Fact]
    public async Task Delete_removes_the_object_and_reports_that_it_existed()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("a/gone.bin", new byte[] { 1 });
        await store.PutAsync("a/kept.bin", new byte[] { 2 });

        Assert.True(await store.DeleteAsync("a/gone.bin"));

        Assert.Null(await store.GetAsync("a/gone.bin"));
        Assert.Null(await store.GetInfoAsync("a/gone.bin"));
        Assert.False(await store.DeleteAsync("a/gone.bin"));
        Assert.Equal(["a/kept.bin"], await Names(store, string.Empty));
    }

    [Fact]
    public async Task List_returns_every_object_in_ordinal_name_order_without_folder_entries()
    {
        var store = await CreateStoreAsync();

        // Ordinal order puts '-' (0x2D) before '/' (0x2F) before '0' (0x30): a store that lists folder by folder,
        // or sorts folders first, gets this wrong.
        string[] names = ["a0", "a/b", "a-b", "z/y/x.json", "m_color_shard_00002.index", "m_color_shard_00001.index", "a/c/d"];
        for (var i = 0; i < names.Length; i++)
        {
            await store.PutAsync(names[i], Bytes(i + 1, seed: i));
        }

        var listed = await store.ListAsync().ToListAsync();

        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(i => i.Name));
        Assert.All(listed, i => Assert.Equal(Array.IndexOf(names, i.Name) + 1, i.Length));
    }

    [Fact]
    public async Task List_with_a_prefix_returns_only_names_that_start_with_it()
    {
        var store = await CreateStoreAsync();
        foreach (var name in new[] { "m_color_shard_00002.index", "m_color_shard_00001.index", "m_gray_shard_00001.index", "part-0-of-2/progress.json", "part-0-of-2/m_color_shard_00001.index", "part-1-of-2/progress.json", "progress.json" })
        {
            await store.PutAsync(name, new byte[] { 7 });
        }

        Assert.Equal(["m_color_shard_00001.index", "m_color_shard_00002.index"], await Names(store, "m_color_"));
        Assert.Equal(["part-0-of-2/m_color_shard_00001.index", "part-0-of-2/progress.json"], await Names(store, "part-0-of-2/"));
        Assert.Equal(["part-0-of-2/m_color_shard_00001.index"], await Names(store, "part-0-of-2/m_"));
        Assert.Equal(["part-0-of-2/m_color_shard_00001.index", "part-0-of-2/progress.json", "part-1-of-2/progress.json"], await Names(store, "part-"));
        Assert.Empty(await Names(store, "nothing-here/"));
        Assert.Empty(await Names(store, "zzz"));
    }

    [Fact]
    public async Task An_empty_store_lists_nothing()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await Names(store, string.Empty));
        Assert.Empty(await Names(store, "runs/"));
    }

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task Names_that_could_escape_the_store_are_refused_with_ArgumentException(string name)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PutAsync(name, new byte[] { 1 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetInfoAsync(name));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(name));
        Assert.Empty(await Names(store, string.Empty));
    }

    [Fact]
    public async Task A_null_name_or_prefix_is_refused_with_ArgumentException()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.PutAsync(null!, new byte[] { 1 }));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.GetInfoAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ListAsync(null!).ToListAsync());
    }

    [Fact]
    public async Task A_cancelled_put_throws_OperationCanceledException_and_stores_nothing()
    {
        var store = await CreateStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("cancelled.bin", new byte[] { 1 }, null, cancelled.Token));

        Assert.Null(await store.GetInfoAsync("cancelled.bin"));
    }

    [Fact]
    public async Task Cancelled_reads_lists_and_deletes_throw_OperationCanceledException()
    {
        var store = await CreateStoreAsync();
        await store.PutAsync("kept.bin", new byte[] { 1 });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("kept.bin", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetInfoAsync("kept.bin", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ListAsync(string.Empty, cancelled.Token).ToListAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.DeleteAsync("kept.bin", cancelled.Token));

        Assert.NotNull(await store.GetAsync("kept.bin"));
    }

    [Fact]
    public async Task Concurrent_puts_of_different_names_all_land()
    {
        var store = await CreateStoreAsync();
        var names = Enumerable.Range(0, 16).Select(i => $"part-{i % 4}/shard_{i:D5}.index").ToArray();

        await Task.WhenAll(names.Select((name, i) => Task.Run(() => store.PutAsync(name, Bytes(100 + i, seed: i)))));
        var reads = await Task.WhenAll(names.Select(name => Task.Run(() => store.GetAsync(name))));

        Assert.Equal(names.Order(StringComparer.Ordinal), await Names(store, string.Empty));
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(Bytes(100 + i, seed: i), reads[i]!.Content.ToArray());
        }
    }

    [Fact]
    public async Task Location_is_set_and_free_of_secrets()
    {
        var store = await CreateStoreAsync();

        Assert.False(string.IsNullOrWhiteSpace(store.Location));
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, store.Location, StringComparison.Ordinal);
        }
    }

    /// <summary>Seeded random bytes.</summary>
    /// <param name="length">How many.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The bytes.</returns>
    protected static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<List<string>> Names(IShardStore store, string prefix) =>
        await store.ListAsync(prefix).Select(i => i.Name).ToListAsync();
}
