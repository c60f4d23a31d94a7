using Microsoft.Extensions.Options;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Gdal.Rasters;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Mosaics.Pipeline;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests.Pipeline;

public sealed class ViewportPipelineTests : IDisposable
{
    private readonly TempDirectory _temp = new("tessera-pipeline");
    private readonly IOptions<ViewportPipelineOptions> _options;

    public ViewportPipelineTests()
    {
        _options = Options.Create(new ViewportPipelineOptions
        {
            IndicesRoot = _temp.File("indices"),
            Index = new MosaicIndexOptions { IndexFactory = "IVF8,Flat", SamplingFactor = 2, TrainSize = 4096, AllEmbeddingsType = MosaicEmbeddingsType.UInt8 },
        });
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Index_creation_and_a_second_post_processor_run_at_the_same_time()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 48, 40, 16);
        var rendezvous = new Rendezvous();
        var index = new RendezvousPostProcessor(IndexStep(), rendezvous, isFirst: true);
        var probe = new RendezvousPostProcessor(new ProbeStep("preview"), rendezvous, isFirst: false);
        var snapshots = new Snapshots();

        var final = await Pipeline(index, probe).RunAsync(new ViewportJob("v1", mosaic), snapshots);

        // Each step waited inside its RunAsync until the other had entered its own: run one after
        // the other, both would have timed out and failed.
        Assert.Equal(ViewportStage.Ready, final.Stage);
        Assert.Equal(ViewportFeatureState.Completed, State(final, "index"));
        Assert.Equal(ViewportFeatureState.Completed, State(final, "preview"));
        Assert.True(rendezvous.BothInside);
        Assert.Contains(snapshots.All, s => State(s, "index") == ViewportFeatureState.Running && State(s, "preview") == ViewportFeatureState.Running);
    }

    [Fact]
    public async Task Progress_never_decreases_and_follows_the_seed_timeline()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 40, 40, 16);
        var snapshots = new Snapshots();

        var final = await Pipeline(IndexStep(), new ProbeStep("preview")).RunAsync(new ViewportJob("v2", mosaic), snapshots);

        var percents = snapshots.All.Select(s => s.Percent).ToList();
        Assert.Equal(0, percents[0]);
        Assert.Equal(100, final.Percent);
        Assert.True(percents.Zip(percents.Skip(1)).All(p => p.Second >= p.First), string.Join(", ", percents));
        var stages = snapshots.All.Select(s => s.Stage).Distinct().ToList();
        Assert.Equal(
            [ViewportStage.Starting, ViewportStage.Downloading, ViewportStage.Downloaded, ViewportStage.PostProcessing, ViewportStage.Waiting, ViewportStage.Validating, ViewportStage.Ready],
            stages);
        Assert.All(snapshots.All.Where(s => s.Stage == ViewportStage.PostProcessing), s => Assert.InRange(s.Percent, 45, 85));
        Assert.All(snapshots.All.Where(s => s.Stage == ViewportStage.Validating), s => Assert.InRange(s.Percent, 85, 95));
        Assert.Contains(snapshots.All, s => s.Message == "Creating FAISS index... + Creating preview...");
        Assert.Equal("✓ Viewport ready for exploration", final.Message);
    }

    [Fact]
    public async Task A_viewport_with_a_valid_index_is_skipped_by_the_cache()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 40, 36, 16);
        var first = await Pipeline(IndexStep()).RunAsync(new ViewportJob("v3", mosaic));
        var metadata = Path.Combine(_options.Value.IndicesRoot, "v3", MosaicLayout.MetadataFileName);
        var written = File.GetLastWriteTimeUtc(metadata);

        var second = await Pipeline(IndexStep()).RunAsync(new ViewportJob("v3", mosaic));

        Assert.Equal(ViewportFeatureState.Completed, State(first, "index"));
        Assert.Equal(ViewportFeatureState.Cached, State(second, "index"));
        Assert.Equal(ViewportStage.Ready, second.Stage);
        Assert.Equal(written, File.GetLastWriteTimeUtc(metadata));
    }

    [Fact]
    public async Task An_index_failure_leaves_the_viewport_ready_with_the_index_missing()
    {
        var notARaster = _temp.File("broken.tif");
        await File.WriteAllTextAsync(notARaster, "this is not a GeoTIFF");

        var final = await Pipeline(IndexStep(), new ProbeStep("preview")).RunAsync(new ViewportJob("v4", notARaster));

        Assert.Equal(ViewportStage.Ready, final.Stage);
        Assert.Equal(ViewportFeatureState.Failed, State(final, "index"));
        Assert.NotNull(final.Features.Single(f => f.Feature == "index").Error);
        Assert.Equal(ViewportFeatureState.Completed, State(final, "preview"));
        Assert.Equal(["index"], final.MissingFeatures);
    }

    [Fact]
    public async Task An_index_failure_fails_the_job_when_the_index_is_a_required_feature()
    {
        var notARaster = _temp.File("broken-required.tif");
        await File.WriteAllTextAsync(notARaster, "this is not a GeoTIFF");

        _options.Value.RequiredFeatures.Add("index");

        var final = await Pipeline(IndexStep(), new ProbeStep("preview")).RunAsync(new ViewportJob("v4r", notARaster));

        Assert.Equal(ViewportStage.Failed, final.Stage);
        Assert.Equal(ViewportFeatureState.Failed, State(final, "index"));
        Assert.NotNull(final.Error);
    }

    [Fact]
    public async Task A_missing_mosaic_fails_the_download_stage()
    {
        var final = await Pipeline(IndexStep()).RunAsync(new ViewportJob("v5", _temp.File("absent.tif")));

        Assert.Equal(ViewportStage.Failed, final.Stage);
        Assert.Equal(ViewportFeatureState.Failed, State(final, "download"));
        Assert.Equal(ViewportFeatureState.Pending, State(final, "index"));
    }

    [Fact]
    public async Task Cancelling_a_job_stops_its_running_post_processors()
    {
        var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 16, 16, 8);
        var blocking = new BlockingStep();
        using var cancellation = new CancellationTokenSource();
        var run = Pipeline(blocking).RunAsync(new ViewportJob("v6", mosaic), cancellationToken: cancellation.Token);
        await blocking.Started.WaitAsync(TimeSpan.FromSeconds(30));

        cancellation.Cancel();
        var final = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ViewportStage.Cancelled, final.Stage);
        Assert.Equal(ViewportFeatureState.Cancelled, State(final, "blocking"));
        Assert.True(blocking.SawCancellation);
    }

    private static ViewportFeatureState State(ViewportStatus status, string feature) => status.Features.Single(f => f.Feature == feature).State;

    private ViewportPipeline Pipeline(params IViewportPostProcessor[] steps) => new(new LocalMosaicDownloader(), steps, _options);

    private MosaicIndexPostProcessor IndexStep() => new(new MosaicIndexer(new FaissIndexBuilder(), new GdalRasterSourceFactory()), _options);

    private sealed class Snapshots : IProgress<ViewportStatus>
    {
        private readonly List<ViewportStatus> _all = [];

        public List<ViewportStatus> All
        {
            get
            {
                lock (_all)
                {
                    return [.. _all];
                }
            }
        }

        public void Report(ViewportStatus value)
        {
            lock (_all)
            {
                _all.Add(value);
            }
        }
    }

    private sealed class Rendezvous
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool BothInside { get; private set; }

        public async Task ArriveAsync(bool isFirst)
        {
            (isFirst ? _first : _second).TrySetResult();
            await (isFirst ? _second : _first).Task.WaitAsync(TimeSpan.FromSeconds(60));
            BothInside = true;
        }
    }

    /// <summary>Enters the rendezvous inside RunAsync, then runs the real step.</summary>
    private sealed class RendezvousPostProcessor(IViewportPostProcessor inner, Rendezvous rendezvous, bool isFirst) : IViewportPostProcessor
    {
        public string Feature => inner.Feature;

        public string RunningMessage => inner.RunningMessage;

        public async Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
        {
            await rendezvous.ArriveAsync(isFirst);
            return await inner.RunAsync(context, progress, cancellationToken);
        }

        public Task ValidateAsync(ViewportJobContext context, CancellationToken cancellationToken) => inner.ValidateAsync(context, cancellationToken);
    }

    /// <summary>A second post-processor (like the seed's pyramids) that reads the mosaic and reports progress.</summary>
    private sealed class ProbeStep(string feature) : IViewportPostProcessor
    {
        public string Feature => feature;

        public Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
        {
            var bytes = File.ReadAllBytes(context.MosaicPath);
            progress.Report(0.5);
            progress.Report(1);
            return Task.FromResult(bytes.Length > 0 ? ViewportFeatureOutcome.Completed : ViewportFeatureOutcome.Cached);
        }
    }

    private sealed class BlockingStep : IViewportPostProcessor
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Feature => "blocking";

        public Task Started => _started.Task;

        public bool SawCancellation { get; private set; }

        public async Task<ViewportFeatureOutcome> RunAsync(ViewportJobContext context, IProgress<double> progress, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
                throw;
            }

            return ViewportFeatureOutcome.Completed;
        }
    }
}
