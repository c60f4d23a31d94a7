using System.Text.Json.Nodes;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

public sealed class AlignmentCheckerTests
{
    private static async Task<ShardingFixture> BuiltStore(int items = 25, params string[] types)
    {
        var fixture = new ShardingFixture(items, corrupt: [6]);
        await fixture.Builder(null, null, types).BuildAsync(fixture.Items);
        return fixture;
    }

    private static AlignmentCheckOptions WithSamples(ShardingFixture fixture, params string[] types) => new()
    {
        SampleSize = 8,
        Embedders = ShardingFixture.Embedders(types.Length == 0 ? ["color"] : types),
        Decoder = fixture.Decoder,
        Items = fixture.Items,
    };

    [Fact]
    public async Task A_freshly_built_store_is_aligned_and_its_samples_find_themselves()
    {
        using var fixture = await BuiltStore(25, "color", "structure", "combined");

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(WithSamples(fixture, "color", "structure", "combined"));

        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.Equal(["color", "combined", "structure"], report.Types.Order());
        Assert.Equal(9, report.Shards);
        Assert.Equal(3 * 24, report.Vectors);
        Assert.Equal(3 * 8, report.SamplesChecked);
    }

    [Fact]
    public async Task A_duplicate_id_is_reported()
    {
        using var fixture = await BuiltStore();
        StoreFiles.Edit(fixture.StorePath, "histogram_color_shard_00002.ids.json", segment => segment["ids"]![0] = "item-0001");

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        var problem = Assert.Single(report.Problems, p => p.Kind == AlignmentProblemKind.DuplicateId);
        Assert.Contains("'item-0001'", problem.Message);
        Assert.Contains("histogram_color_shard_00002.index", problem.Message);
    }

    [Fact]
    public async Task A_shard_whose_ntotal_differs_from_its_id_map_slice_is_reported()
    {
        using var fixture = await BuiltStore();
        StoreFiles.Edit(fixture.StorePath, "histogram_color_shard_00001.ids.json", segment =>
        {
            segment["ids"]!.AsArray().RemoveAt(9);
            segment["brands"]!.AsArray().RemoveAt(9);
            segment["images"]!.AsArray().RemoveAt(9);
        });

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        var problem = Assert.Single(report.Problems, p => p.Kind == AlignmentProblemKind.CountMismatch);
        Assert.Contains("holds 10 vectors (ntotal) but its id-map slice names 9", problem.Message);
    }

    [Fact]
    public async Task A_changed_shard_byte_is_a_checksum_mismatch()
    {
        using var fixture = await BuiltStore();
        var path = Path.Combine(fixture.StorePath, "histogram_color_shard_00002.index");
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(AlignmentProblemKind.ChecksumMismatch, problem.Kind);
        Assert.Equal("histogram_color_shard_00002.index", problem.Object);
    }

    [Fact]
    public async Task A_missing_shard_is_reported()
    {
        using var fixture = await BuiltStore();
        File.Delete(Path.Combine(fixture.StorePath, "histogram_color_shard_00003.index"));

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.MissingShard && p.Object == "histogram_color_shard_00003.index");
        Assert.False(report.IsAligned);
    }

    [Fact]
    public async Task Swapped_ids_are_caught_by_re_embedding_samples()
    {
        using var fixture = await BuiltStore(12);
        StoreFiles.Edit(fixture.StorePath, "histogram_color_shard_00001.ids.json", segment =>
        {
            var ids = segment["ids"]!.AsArray();
            var images = segment["images"]!.AsArray();
            for (var i = 0; i < ids.Count; i++)
            {
                // Shift every id (and its image) one place: the structure checks still pass, the vectors no longer match.
                ids[i] = JsonValue.Create($"item-{(i + 1) % ids.Count:D4}x");
                images[i] = JsonValue.Create(fixture.ImagePath(i + 1 == 6 ? 7 : (i + 1) % 12));
            }
        });

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(new AlignmentCheckOptions
        {
            SampleSize = 11,
            Embedders = ShardingFixture.Embedders("color"),
            Decoder = fixture.Decoder,
        });

        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.SampleMismatch);
        Assert.DoesNotContain(report.Problems, p => p.Kind is AlignmentProblemKind.CountMismatch or AlignmentProblemKind.DuplicateId);
    }

    [Fact]
    public async Task An_item_of_the_source_that_is_neither_indexed_nor_failed_is_reported()
    {
        using var fixture = await BuiltStore(12);
        File.AppendAllText(fixture.ManifestPath, "item-9999,images/item-0001.trgb,acme,0\n");

        var report = await new AlignmentChecker(fixture.Store).CheckAsync(new AlignmentCheckOptions { Items = fixture.Items });

        var problem = Assert.Single(report.Problems);
        Assert.Equal(AlignmentProblemKind.MissingItem, problem.Kind);
        Assert.Contains("'item-9999'", problem.Message);
    }

    [Fact]
    public async Task Progress_claiming_more_than_the_store_holds_is_reported()
    {
        using var fixture = await BuiltStore(12);
        StoreFiles.Edit(fixture.StorePath, "progress.json", progress => progress["indexed"]!["color"] = 50);

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        Assert.Contains(report.Problems, p => p.Kind == AlignmentProblemKind.ProgressMismatch);
    }

    [Fact]
    public async Task A_whole_id_map_that_disagrees_with_the_segments_is_reported()
    {
        using var fixture = await BuiltStore(12);
        StoreFiles.Edit(fixture.StorePath, "histogram_color_id_map.json", map => map["labels"]!["3"] = "someone-else");

        var report = await new AlignmentChecker(fixture.Store).CheckAsync();

        var problem = Assert.Single(report.Problems);
        Assert.Equal(AlignmentProblemKind.IdMapMismatch, problem.Kind);
        Assert.Contains("label 3", problem.Message);
    }
}
