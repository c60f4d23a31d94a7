using System.Globalization;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Sharding;
using Xunit.Abstractions;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>How many bytes a build uploads (issue 13, item 3): a shard's index and batch-vector objects add up to at most twice its final size.</summary>
public sealed class UploadVolumeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_thousand_items_with_default_settings_upload_each_shard_at_most_twice()
    {
        using var fixture = new ShardingFixture(2000);
        var counting = new CountingShardStore(fixture.Store);
        var embedders = new Dictionary<string, Microsoft.Extensions.AI.IEmbeddingGenerator<Imaging.RgbImage, Microsoft.Extensions.AI.Embedding<float>>>
        {
            [ImageIndexTypes.Color] = new ColorHistogramEmbedder(),
        };

        var result = await new ShardedImageIndexBuilder(counting, fixture.Decoder, embedders, new ShardedIndexOptions()).BuildAsync(fixture.Items);

        var manifest = StoreFiles.Manifest(fixture.StorePath);
        Report(counting, manifest);
        Assert.Equal(2000, result.Indexed);
        Assert.Equal([1000L, 1000L], manifest.Shards.Select(s => s.Count));
        foreach (var shard in manifest.Shards)
        {
            var stem = shard.Name[..^".index".Length];
            Assert.InRange(counting.VectorBytesByShard[stem], shard.Bytes, 2 * shard.Bytes);
        }
    }

    private void Report(CountingShardStore counting, ShardManifest manifest)
    {
        output.WriteLine("| object kind | PUT requests | bytes uploaded |");
        output.WriteLine("| --- | ---: | ---: |");
        foreach (var (kind, (requests, bytes)) in counting.Uploads)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind} | {requests:N0} | {bytes:N0} |"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| all | {counting.Uploads.Values.Sum(u => u.Requests):N0} | {counting.TotalBytes:N0} |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deletes: {counting.Deletes}; final shards: {string.Join(", ", manifest.Shards.Select(s => $"{s.Name} {s.Bytes:N0} B"))}"));
        foreach (var (stem, bytes) in counting.VectorBytesByShard)
        {
            var final = manifest.Shards.Single(s => s.Name.StartsWith(stem, StringComparison.Ordinal)).Bytes;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stem}: {bytes:N0} vector bytes uploaded = {(double)bytes / final:F3} x its final size"));
        }
    }
}
