using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>The shard builder, the alignment checker and image search with the managed flat index chosen through DI.</summary>
public sealed class ManagedFlatShardingTests
{
    [Fact]
    public async Task Build_check_and_search_run_on_the_managed_flat_index_selected_through_DI()
    {
        using var fixture = new ShardingFixture(23, corrupt: [6]);
        var recording = new RecordingIndexBuilder(new ManagedFlatIndexBuilder());
        using var provider = Services(fixture, recording, o => o.IndexBuilder = ManagedFlatIndexBuilder.ServiceKey);
        var factory = provider.GetRequiredService<ShardedImageIndexBuilderFactory>();
        var store = factory.OpenStore(fixture.StorePath);

        var built = await factory.Create(store, ["color"]).BuildAsync(fixture.Items);
        var report = await factory.CreateAlignmentChecker(store).CheckAsync(new AlignmentCheckOptions { SampleSize = 6 });
        var found = await provider.GetRequiredService<ShardedImageSearcher>().SearchAsync(store, "color", fixture.ImagePath(17), 3);

        Assert.Equal(22, built.Indexed);
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.Equal(6, report.SamplesChecked);
        Assert.Equal(ShardingFixture.ItemId(17), found.Hits[0].ItemId);
        Assert.Equal(1f, found.Hits[0].Score, 4);
        Assert.Equal(3, found.Hits.Count);
        Assert.NotEmpty(recording.Created);
        Assert.True(recording.Read.Count >= 6, $"{recording.Read.Count} shards read");
        Assert.All(recording.Created.Concat(recording.Read), t => Assert.Equal(typeof(ManagedFlatIndex), t));

        // The managed index writes FAISS's own files: FAISS reads every shard it built.
        foreach (var entry in StoreFiles.Manifest(fixture.StorePath).Shards)
        {
            using var shard = FaissIndex.Load(Path.Combine(fixture.StorePath, entry.Name));
            Assert.Equal(entry.Count, shard.Count);
        }
    }

    [Fact]
    public async Task A_store_built_by_faiss_checks_aligned_and_resumes_with_the_managed_flat_index()
    {
        using var fixture = new ShardingFixture(26);
        await fixture.Builder().BuildAsync(fixture.Items);
        using var grown = new ShardingFixture(31);
        Directory.Move(fixture.StorePath, grown.StorePath);
        var options = new ShardedIndexOptions { ItemsPerShard = 10, BatchSize = 4, DecodeParallelism = 2, IndexBuilder = ManagedFlatIndexBuilder.ServiceKey };

        var resumed = await new ShardedImageIndexBuilder(grown.Store, grown.Decoder, ShardingFixture.Embedders(), options, indexBuilder: new ManagedFlatIndexBuilder()).BuildAsync(grown.Items);
        var report = await new AlignmentChecker(grown.Store, new ManagedFlatIndexBuilder()).CheckAsync(new AlignmentCheckOptions
        {
            Embedders = ShardingFixture.Embedders(),
            Decoder = grown.Decoder,
            SampleSize = 8,
        });

        Assert.Equal(5, resumed.Indexed);
        Assert.True(report.IsAligned, string.Join("\n", report.Problems));
        Assert.Equal(31, report.Vectors);
    }

    [Fact]
    public void An_index_builder_key_nothing_is_registered_under_is_named_in_the_error()
    {
        using var fixture = new ShardingFixture(1);
        using var provider = Services(fixture, null, o => o.IndexBuilder = "no-such-builder");
        var factory = provider.GetRequiredService<ShardedImageIndexBuilderFactory>();

        var error = Assert.Throws<InvalidOperationException>(() => factory.Create(factory.OpenStore(fixture.StorePath), ["color"]));

        Assert.Contains("'no-such-builder'", error.Message);
        Assert.Contains("managed-flat", error.Message);
    }

    [Fact]
    public async Task Searching_a_store_of_another_model_is_refused_with_both_model_names()
    {
        using var fixture = new ShardingFixture(4);
        await fixture.Builder().BuildAsync(fixture.Items);
        using var provider = Services(fixture, null, o => o.ModelName = "clip-b32");
        var searcher = provider.GetRequiredService<ShardedImageSearcher>();

        var error = await Assert.ThrowsAsync<ImageModelMismatchException>(() => searcher.SearchAsync(fixture.Store, "color", fixture.ImagePath(1), 1));

        Assert.Equal(("histogram", "clip-b32"), (error.StoreModel, error.ExpectedModel));
    }

    [Fact]
    public async Task Queries_are_normalised_as_the_build_normalised_its_vectors_whatever_the_metric()
    {
        using var fixture = new ShardingFixture(12);
        var options = new ShardedIndexOptions { ItemsPerShard = 10, BatchSize = 4, Metric = VectorMetric.L2, NormalizeVectors = true };
        await fixture.Builder(options).BuildAsync(fixture.Items);
        using var provider = Services(fixture, null, o => o.Metric = VectorMetric.L2);

        var found = await provider.GetRequiredService<ShardedImageSearcher>().SearchAsync(fixture.Store, "color", fixture.ImagePath(3), 1);

        Assert.Equal(VectorMetric.L2, found.Metric);
        Assert.Equal(ShardingFixture.ItemId(3), found.Hits[0].ItemId);
        Assert.Equal(0f, found.Hits[0].Score, 5);
    }

    private static ServiceProvider Services(ShardingFixture fixture, IVectorIndexBuilder? managedFlat, Action<ShardedIndexOptions> configure)
    {
        var services = new ServiceCollection();
        if (managedFlat is not null)
        {
            // Registered first, so AddShardedImageIndexing's TryAdd keeps it under the managed-flat key.
            services.AddKeyedSingleton(ManagedFlatIndexBuilder.ServiceKey, managedFlat);
        }

        services.AddSingleton<IImageDecoder>(fixture.Decoder);
        services.AddTesseraIndexing()
            .AddImageIndexType(ImageIndexTypes.Color, _ => ShardingFixture.Embedders()[ImageIndexTypes.Color])
            .AddShardedImageIndexing(o =>
            {
                o.ItemsPerShard = 10;
                o.BatchSize = 4;
                o.DecodeParallelism = 2;
                configure(o);
            });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    /// <summary>Delegates to a real builder and records the concrete types of the indexes it made and read.</summary>
    private sealed class RecordingIndexBuilder(IVectorIndexBuilder inner) : IVectorIndexBuilder
    {
        public List<Type> Created { get; } = [];

        public List<Type> Read { get; } = [];

        public IVectorIndex Create(VectorIndexSpec spec) => Record(Created, inner.Create(spec));

        public void Train(IVectorIndex index, ReadOnlySpan<float> vectors, CancellationToken cancellationToken = default) => inner.Train(index, vectors, cancellationToken);

        public void Add(IVectorIndex index, ReadOnlySpan<float> vectors, ReadOnlySpan<long> ids, CancellationToken cancellationToken = default) => inner.Add(index, vectors, ids, cancellationToken);

        public IVectorIndex Load(string path) => Record(Read, inner.Load(path));

        public IVectorIndex Deserialize(ReadOnlySpan<byte> data) => Record(Read, inner.Deserialize(data));

        private static IVectorIndex Record(List<Type> list, IVectorIndex index)
        {
            lock (list)
            {
                list.Add(index.GetType());
            }

            return index;
        }
    }
}
