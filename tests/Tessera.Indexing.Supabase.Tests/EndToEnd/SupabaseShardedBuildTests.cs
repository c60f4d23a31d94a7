using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Tests.Server;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests.EndToEnd;

/// <summary>
/// The sharded, resumable image index build (Tessera.Indexing) against the Supabase-compatible server: items from
/// the table through PostgREST, images over HTTP, shards, id maps, manifests and progress in Storage.
/// </summary>
public sealed class SupabaseShardedBuildTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Items = 57;
    private const string Location = "supabase://faiss/e2e/clip";

    private static readonly FaultKind[] EveryFault =
    [
        FaultKind.TooManyRequests,
        FaultKind.InternalError,
        FaultKind.ServiceUnavailable,
        FaultKind.DatabaseTimeout,
        FaultKind.BadRequestWrapping503,
        FaultKind.DropRequestMidBody,
        FaultKind.DropResponseMidBody,
        FaultKind.DropAfterProcessing,
        FaultKind.Slow,
    ];

    /// <summary>Where faults go: single-request uploads, TUS creation and chunks, downloads, object info, lists, PostgREST pages.</summary>
    private static readonly (string Name, Func<RecordedRequest, bool> Matches)[] Routes =
    [
        ("upload", r => r.Method == "POST" && r.Path.StartsWith("/storage/v1/object/faiss/", StringComparison.Ordinal)),
        ("tus-create", r => r.Method == "POST" && r.Path == "/storage/v1/upload/resumable"),
        ("tus-patch", r => r.Method == "PATCH"),
        ("download", r => r.Method == "GET" && r.Path.StartsWith("/storage/v1/object/authenticated/", StringComparison.Ordinal)),
        ("info", r => r.Path.StartsWith("/storage/v1/object/info/", StringComparison.Ordinal)),
        ("list", r => r.Path.StartsWith("/storage/v1/object/list/", StringComparison.Ordinal)),
        ("rest", r => r.Path.StartsWith("/rest/v1/", StringComparison.Ordinal)),
    ];

    [Fact]
    public async Task A_resumable_build_survives_every_injected_fault_with_nothing_lost_or_duplicated_and_aligned()
    {
        await using var t = await SupabaseTestContext.StartAsync(o =>
        {
            // Shards of 10 64-d vectors are ~2.6 KB: over 2 KB they go through TUS in 1 KB chunks.
            o.ResumableThresholdBytes = 2048;
            o.ResumableChunkBytes = 1024;
            o.Table.PageSize = 16;
            o.Retry.MaxRetryAttempts = 5;
            o.Retry.AttemptTimeout = TimeSpan.FromMilliseconds(700);
        });
        using var decoder = new TrgbImages();
        ProductTable.Seed(t.Server, Items);
        // An existing (empty) bucket, so run 1 also reads and lists the store, and faults meet those reads too.
        t.Server.CreateBucket("faiss");
        var store = t.Services.GetServices<IShardStoreFactory>().OfType<Storage.SupabaseShardStoreFactory>().Single().Open(Location);
        var items = t.Services.GetRequiredKeyedService<IItemSource>("supabase");
        var embedders = Embedders();
        var options = new ShardedIndexOptions { ItemsPerShard = 10, BatchSize = 4, DecodeParallelism = 2 };

        // Every fault kind on every route, at spread-out points of the run: on each route the k-th fault kind
        // hits the (2 + 3k)-th request, so the requests between (the retries among them) go through.
        var faults = new List<(string Route, Fault Fault)>();
        foreach (var (name, matches) in Routes)
        {
            var ordinals = new System.Collections.Concurrent.ConcurrentDictionary<RecordedRequest, int>(ReferenceEqualityComparer.Instance);
            var next = 0;
            for (var k = 0; k < EveryFault.Length; k++)
            {
                var kind = EveryFault[k];
                if (kind == FaultKind.DropAfterProcessing && name == "tus-patch")
                {
                    continue;
                }

                var at = 2 + (3 * k);
                faults.Add((name, t.Server.AddFault(
                    kind,
                    r => matches(r) && ordinals.GetOrAdd(r, _ => Interlocked.Increment(ref next)) == at,
                    times: 1,
                    delay: TimeSpan.FromSeconds(2))));
            }
        }

        // Run 1 is cut short by an outage that outlasts the retries, once progress has been saved twice.
        var progressPuts = 0;
        var outage = t.Server.AddFault(
            FaultKind.ServiceUnavailable,
            r => r.Method == "POST" && r.Path.EndsWith("/progress.json", StringComparison.Ordinal) && Interlocked.Increment(ref progressPuts) > 2,
            times: 1000);
        var first = new ShardedImageIndexBuilder(store, decoder, embedders, options);
        var interrupted = await Assert.ThrowsAsync<ShardStoreException>(() => first.BuildAsync(items));
        Assert.True(interrupted.Kind == ShardStoreErrorKind.Unavailable, interrupted.ToString());
        Assert.True(outage.Fired > 0, interrupted.ToString());

        // Run 2 resumes from what the store holds, with the remaining transient faults still armed.
        outage.Disarm();
        var result = await new ShardedImageIndexBuilder(store, decoder, embedders, options).BuildAsync(items);

        Assert.True(result.Completed);
        Assert.Equal(Items, result.Vectors["color"]);
        Assert.InRange(result.Indexed, 1, Items - 8);
        var fired = faults.Where(f => f.Fault.Fired > 0).ToList();
        Assert.Equal(EveryFault.Order(), fired.Select(f => f.Fault.Kind).Distinct().Order());
        Assert.Equal(Routes.Select(r => r.Name).Order(), fired.Select(f => f.Route).Distinct().Order());
        output.WriteLine($"run 2 indexed {result.Indexed} of {Items}; faults fired: {string.Join(", ", fired.Select(f => $"{f.Route}:{f.Fault.Kind}"))}; outage {outage.Fired}×");

        var report = await new AlignmentChecker(store).CheckAsync(new AlignmentCheckOptions
        {
            Embedders = embedders,
            Decoder = decoder,
            Items = items,
            SampleSize = 12,
        });
        Assert.True(report.IsAligned, string.Join("\n", report.Problems.Select(p => p.Message)));
        Assert.Equal(Items, report.Vectors);

        using var index = await ShardedIndex.LoadAsync(store, "color");
        Assert.Equal(Items, index.Count);

        // Nothing in the store carries the key.
        foreach (var path in t.Server.ObjectPaths("faiss"))
        {
            Assert.DoesNotContain(t.Key, Encoding.UTF8.GetString(t.Server.ObjectContent("faiss", path)!), StringComparison.Ordinal);
        }
    }

    private static IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>> Embedders() =>
        new Dictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>>
        {
            [ImageIndexTypes.Color] = new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 4 }),
        };
}
