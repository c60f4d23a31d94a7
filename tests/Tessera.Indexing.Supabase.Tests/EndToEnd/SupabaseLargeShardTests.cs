using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests.EndToEnd;

/// <summary>
/// Builds against the Supabase-compatible server with Supabase's own upload sizes (TUS over 6 MiB, in 6 MiB chunks)
/// and the builder's defaults where the test does not say otherwise.
/// </summary>
public sealed class SupabaseLargeShardTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    private static void SupabaseSizes(Supabase.Configuration.SupabaseOptions o)
    {
        o.ResumableThresholdBytes = 6 * MiB;
        o.ResumableChunkBytes = (int)(6 * MiB);
        o.Retry.AttemptTimeout = TimeSpan.FromSeconds(30);
    }

    [Fact]
    public async Task A_build_whose_open_shard_passes_six_mebibytes_overwrites_it_through_tus()
    {
        // 4096-d histograms are 16 KiB a vector: the first batch of 200 stores the new shard (3.3 MB, one plain
        // upload), the next batches go to write-once batch objects, and the sealed shard (16.4 MB) overwrites the
        // first upload through TUS, which the server allows only with x-upsert on every TUS request.
        const int items = 1000;
        await using var t = await SupabaseTestContext.StartAsync(SupabaseSizes);

        var (store, result) = await BuildAsync(t, items, "supabase://faiss/e2e/large", new ColorHistogramOptions { BinsPerChannel = 16 }, new ShardedIndexOptions { BatchSize = 200, ItemsPerShard = 1000 });

        Assert.True(result.Completed);
        Assert.Equal(items, result.Vectors["color"]);
        var tus = t.Server.Requests.Where(r => r.Path.StartsWith("/storage/v1/upload/resumable", StringComparison.Ordinal) && r.Method is "POST" or "PATCH").ToList();
        const string shardPath = "e2e/large/histogram_color_shard_00001.index";
        var requests = t.Server.Requests.ToList();
        var firstPlain = requests.FindIndex(r => r.ObjectPath == shardPath && r.Method is "POST" or "PUT" && r.Path.StartsWith("/storage/v1/object/", StringComparison.Ordinal) && r.Status is >= 200 and < 300);
        var tusCreate = requests.FindIndex(r => r.Path.StartsWith("/storage/v1/upload/resumable", StringComparison.Ordinal) && r.Method == "POST" && r.Status == 201);
        Assert.True(firstPlain >= 0, "the new shard was not stored by a plain upload first");
        Assert.True(tusCreate > firstPlain, "the sealed shard did not overwrite it through TUS");
        Assert.All(tus, r => Assert.Equal("true", r.Header("x-upsert")));
        Assert.All(tus, r => Assert.InRange(r.Status, 200, 299));
        var shard = t.Server.ObjectContent("faiss", shardPath)!;
        Assert.True(shard.Length > 16 * 1_000_000, $"the final shard is {shard.Length:N0} bytes");
        Assert.Equal(0, t.Server.OpenUploads);
        using var index = await ShardedIndex.LoadAsync(store, "color");
        Assert.Equal(items, index.Count);
        output.WriteLine(t.Server.Traffic.Report());
    }

    /// <summary>
    /// The upload volume of a build with every default (batch 32, 1,000 items a shard, 512-d colour histograms, Flat
    /// shards of ~2 MB), counted by the server: the figure docs/supabase.md records. Shard bytes include the write-once
    /// batch objects (<c>.batch_*.f32</c>) that stand for the open shard between whole uploads; uploaded shard bytes
    /// stay within twice the final shard bytes.
    /// </summary>
    [Fact]
    public async Task A_default_build_of_2000_items_reports_its_upload_bytes_per_kind()
    {
        const int items = 2000;
        await using var t = await SupabaseTestContext.StartAsync(SupabaseSizes);
        var options = new ShardedIndexOptions();

        var (_, result) = await BuildAsync(t, items, "supabase://faiss/e2e/volume", new ColorHistogramOptions(), options);

        Assert.True(result.Completed);
        Assert.Equal(items, result.Vectors["color"]);
        Assert.Equal(2, result.Shards["color"]);
        var traffic = t.Server.Traffic;
        long Stored(ObjectCategory category) => t.Server.ObjectPaths("faiss")
            .Where(p => p.StartsWith("e2e/volume/", StringComparison.Ordinal) && UploadTraffic.Categorize(p) == category)
            .Sum(p => (long)t.Server.ObjectContent("faiss", p)!.Length);
        foreach (var category in new[] { ObjectCategory.Shard, ObjectCategory.IdMap, ObjectCategory.Manifest, ObjectCategory.Progress })
        {
            Assert.True(Stored(category) > 0, $"nothing stored as {category}");
            Assert.True(traffic.Bytes(category) >= Stored(category), $"{category}: {traffic.Bytes(category):N0} bytes received, {Stored(category):N0} stored");
        }

        Assert.Equal(0, traffic.Bytes(RequestKind.RestUpload, ObjectCategory.Other) + traffic.Bytes(RequestKind.TusPatch, ObjectCategory.Other));
        output.WriteLine($"{items} items, batch {options.BatchSize}, {options.ItemsPerShard} items a shard; final shards {Stored(ObjectCategory.Shard):N0} bytes, id maps {Stored(ObjectCategory.IdMap):N0}, manifests {Stored(ObjectCategory.Manifest):N0}, progress {Stored(ObjectCategory.Progress):N0}");
        var ratio = (double)traffic.Bytes(ObjectCategory.Shard) / Stored(ObjectCategory.Shard);
        output.WriteLine($"shard bytes uploaded / final shard bytes = {ratio:F2}");
        Assert.InRange(ratio, 1.0, 2.0);
        output.WriteLine(traffic.Report());
    }

    /// <summary>Builds the colour index of <paramref name="items"/> table rows into <paramref name="location"/>.</summary>
    private static async Task<(IShardStore Store, ShardedBuildResult Result)> BuildAsync(
        SupabaseTestContext t, int items, string location, ColorHistogramOptions histogram, ShardedIndexOptions options)
    {
        using var decoder = new TrgbImages();
        ProductTable.Seed(t.Server, items);
        var store = ShardStores.Open(t.Services.GetServices<IShardStoreFactory>(), location);
        var embedders = new Dictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>>
        {
            [ImageIndexTypes.Color] = new ColorHistogramEmbedder(histogram),
        };
        var result = await new ShardedImageIndexBuilder(store, decoder, embedders, options).BuildAsync(t.Services.GetRequiredKeyedService<IItemSource>("supabase"));
        return (store, result);
    }
}
