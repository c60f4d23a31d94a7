using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>check-alignment ends with a report whatever is missing or corrupt; bad manifest rows are failed items.</summary>
public sealed class AlignmentCheckerRobustnessTests
{
    // A guard so that a regression fails instead of hanging the run; not a speed goal.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_deleted_shard_with_a_sample_larger_than_what_loaded_ends_with_a_report()
    {
        using var fixture = await BuiltStore(25);
        File.Delete(Path.Combine(fixture.StorePath, "histogram_color_shard_00002.index"));

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(WithSamples(fixture, 100)).WaitAsync(Guard);

        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.MissingShard);
        Assert.InRange(report.SamplesChecked, 1, 24 - 10);
    }

    [Fact]
    public async Task A_shard_with_a_corrupt_metric_is_reported_and_the_check_goes_on()
    {
        using var fixture = await BuiltStore(25);
        var path = Path.Combine(fixture.StorePath, "histogram_color_shard_00001.index");
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0x21, 4).Fill(0xFF); // metric_type = -1
        File.WriteAllBytes(path, bytes);

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(WithSamples(fixture, 20)).WaitAsync(Guard);

        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.ChecksumMismatch && p.Object == "histogram_color_shard_00001.index");
        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.UnreadableShard);
        Assert.True(report.SamplesChecked > 0);
    }

    [Fact]
    public async Task A_corrupt_progress_file_is_a_problem_in_the_report_not_an_exception()
    {
        using var fixture = await BuiltStore(12);
        File.WriteAllText(Path.Combine(fixture.StorePath, ShardStoreLayout.ProgressName), "{ \"formatVersion\": 1, \"model\": ");

        var report = await new AlignmentChecker(fixture.Store).CheckAsync().WaitAsync(Guard);

        Assert.Equal("histogram", report.Model);
        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.ProgressMismatch && p.Object == ShardStoreLayout.ProgressName);
        Assert.Equal(11, report.Vectors);
    }

    [Fact]
    public async Task Bad_manifest_rows_become_failed_items_and_the_build_goes_on()
    {
        using var fixture = new ShardingFixture(10);
        File.AppendAllText(fixture.ManifestPath, ",images/item-0001.trgb,acme,1\nitem-empty-image,,acme,2\nitem-short,images/item-0002.trgb\n");

        var result = await fixture.Builder().BuildAsync(fixture.Items).WaitAsync(Guard);
        var report = await new AlignmentChecker(fixture.Store).CheckAsync(new AlignmentCheckOptions { Items = fixture.Items }).WaitAsync(Guard);

        Assert.Equal(10, result.Indexed);
        Assert.Equal(["(line 12)", "item-empty-image", "item-short"], result.NewFailures.Select(f => f.Id).Order(StringComparer.Ordinal));
        Assert.Contains(result.NewFailures, f => f.Reason.Contains("line 12: the id is empty", StringComparison.Ordinal));
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
    }

    [Fact]
    public void Picking_samples_is_bounded_and_distinct_whatever_the_shards_hold()
    {
        var manifest = new ShardManifest { Model = "m", Type = "t", Dimension = 2, Metric = VectorMetric.L2, Factory = "Flat" };
        var shards = new List<ShardedIndex.LoadedShard>
        {
            Shard(manifest, "a", 0),
            Shard(manifest, "b", 3),
            Shard(manifest, "c", 0),
            Shard(manifest, "d", 2),
        };

        var all = SampleChecker.Pick(shards, 100, seed: 1);
        var some = SampleChecker.Pick(shards, 2, seed: 1);

        Assert.Equal(5, all.Count);
        Assert.Equal(5, all.Select(p => (p.Shard.Entry.Name, p.Position)).Distinct().Count());
        Assert.All(all, p => Assert.InRange(p.Position, 0, p.Shard.Ids.Length - 1));
        Assert.Equal(2, some.Count);
        Assert.Empty(SampleChecker.Pick([Shard(manifest, "e", 0)], 10, seed: 1));
    }

    private static ShardedIndex.LoadedShard Shard(ShardManifest manifest, string name, int count)
    {
        var entry = new ShardManifestEntry
        {
            Number = 1, Name = name, IdMap = name + ".ids.json", Count = count, Bytes = 0, Sha256 = string.Empty,
            FirstLabel = 0, LastLabel = count - 1, Dimension = manifest.Dimension, Metric = manifest.Metric, Factory = manifest.Factory,
        };
        var ids = Enumerable.Range(0, count).Select(i => $"{name}{i}").ToArray();
        return new ShardedIndex.LoadedShard(entry, null!, ids, ids);
    }

    private static async Task<ShardingFixture> BuiltStore(int items)
    {
        var fixture = new ShardingFixture(items, corrupt: [6]);
        await fixture.Builder().BuildAsync(fixture.Items);
        return fixture;
    }

    private static AlignmentCheckOptions WithSamples(ShardingFixture fixture, int sample) => new()
    {
        SampleSize = sample,
        Embedders = ShardingFixture.Embedders("color"),
        Decoder = fixture.Decoder,
    };
}
