using System.Text;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Storage;

public sealed class LocalShardStoreTests
{
    [Fact]
    public async Task Put_then_get_returns_the_bytes_content_type_and_metadata()
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);

        await store.PutAsync("a/b.index", new byte[] { 1, 2, 3 }, new ShardPutOptions
        {
            ContentType = "application/octet-stream",
            Metadata = new Dictionary<string, string> { ["sha256"] = "abc" },
        });
        var blob = await store.GetAsync("a/b.index");

        Assert.Equal([1, 2, 3], blob!.Content.ToArray());
        Assert.Equal(3, blob.Info.Length);
        Assert.Equal("application/octet-stream", blob.Info.ContentType);
        Assert.Equal("abc", blob.Info.Metadata!["sha256"]);
        Assert.True(File.Exists(Path.Combine(dir.Path, "a", "b.index")));
    }

    [Fact]
    public async Task Missing_objects_read_as_null()
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);

        Assert.Null(await store.GetAsync("nope.json"));
        Assert.Null(await store.GetInfoAsync("deep/nope.json"));
        Assert.False(await store.DeleteAsync("nope.json"));
    }

    [Fact]
    public async Task Put_without_overwrite_refuses_an_existing_object()
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);
        await store.PutAsync("x", "one"u8.ToArray());

        var error = await Assert.ThrowsAsync<ShardStoreException>(() => store.PutAsync("x", "two"u8.ToArray(), new ShardPutOptions { Overwrite = false }));

        Assert.Equal(ShardStoreErrorKind.AlreadyExists, error.Kind);
        Assert.Equal("one", Encoding.UTF8.GetString((await store.GetAsync("x"))!.Content.Span));
    }

    [Fact]
    public async Task List_returns_objects_under_a_prefix_in_name_order_without_sidecars_or_temp_files()
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);
        foreach (var name in new[] { "m_color_shard_00002.index", "m_color_shard_00001.index", "part-0-of-2/progress.json", "progress.json" })
        {
            await store.PutAsync(name, "x"u8.ToArray(), new ShardPutOptions { ContentType = "text/plain" });
        }

        File.WriteAllText(Path.Combine(dir.Path, ".m_color_shard_00003.index.host.1.abc.tmp"), "partial");

        var all = await store.ListAsync().Select(i => i.Name).ToListAsync();
        var color = await store.ListAsync("m_color_").Select(i => i.Name).ToListAsync();
        var part = await store.ListAsync("part-0-of-2/").Select(i => i.Name).ToListAsync();

        Assert.Equal(["m_color_shard_00001.index", "m_color_shard_00002.index", "part-0-of-2/progress.json", "progress.json"], all);
        Assert.Equal(["m_color_shard_00001.index", "m_color_shard_00002.index"], color);
        Assert.Equal(["part-0-of-2/progress.json"], part);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData(".meta/x")]
    [InlineData("a\\b")]
    public async Task Names_that_could_escape_the_folder_are_refused(string name)
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(name, new byte[1]));
    }

    [Fact]
    public async Task Concurrent_writes_of_one_name_leave_one_whole_version_and_no_temp_files()
    {
        using var dir = new TempDirectory();
        var store = new LocalShardStore(dir.Path);
        var versions = Enumerable.Range(0, 16).Select(i => Enumerable.Repeat((byte)i, 200_000).ToArray()).ToArray();

        await Task.WhenAll(versions.Select(v => Task.Run(() => store.PutAsync("shared.index", v))));
        var stored = (await store.GetAsync("shared.index"))!.Content.ToArray();

        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(stored));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Temporary_files_of_a_dead_process_are_removed_on_the_first_write()
    {
        using var dir = new TempDirectory();
        var host = string.Concat(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-'));
        var stale = Path.Combine(dir.Path, $".x.index.{host}.{int.MaxValue - 1}.0123.tmp");
        var foreign = Path.Combine(dir.Path, $".y.index.otherhost.{Environment.ProcessId}.0123.tmp");
        File.WriteAllText(stale, "left by a crash");
        File.WriteAllText(foreign, "maybe still being written elsewhere");

        await new LocalShardStore(dir.Path).PutAsync("z", new byte[1]);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task PrefixedShardStore_writes_under_its_prefix_and_lists_without_it()
    {
        using var dir = new TempDirectory();
        var root = new LocalShardStore(dir.Path);
        var part = new PrefixedShardStore(root, "part-1-of-3");

        await part.PutAsync("progress.json", "{}"u8.ToArray());
        var names = await part.ListAsync().Select(i => i.Name).ToListAsync();

        Assert.NotNull(await root.GetAsync("part-1-of-3/progress.json"));
        Assert.Equal(["progress.json"], names);
        Assert.EndsWith("/part-1-of-3/", part.Location);
    }

    [Fact]
    public void The_factory_opens_paths_and_file_uris_and_leaves_other_schemes_alone()
    {
        using var dir = new TempDirectory();
        var factory = new LocalShardStoreFactory();

        var fromPath = (LocalShardStore)factory.Open(dir.Path);
        var fromUri = (LocalShardStore)factory.Open(new Uri(dir.Path).AbsoluteUri);

        Assert.Equal(dir.Path, fromPath.RootPath);
        Assert.Equal(dir.Path, fromUri.RootPath);
        Assert.True(factory.CanOpen("relative/store"));
        Assert.False(factory.CanOpen("supabase://bucket/prefix"));
        Assert.False(factory.CanOpen("s3://bucket"));
    }

    [Fact]
    public void ShardStores_Open_names_the_registered_factories_when_none_understands_a_location()
    {
        var error = Assert.Throws<NotSupportedException>(() => ShardStores.Open([new LocalShardStoreFactory()], "supabase://bucket/faiss"));

        Assert.Contains("LocalShardStoreFactory", error.Message);
        Assert.Contains("supabase://bucket/faiss", error.Message);
    }
}
