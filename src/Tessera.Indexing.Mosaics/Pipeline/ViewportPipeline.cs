using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Mosaics;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// Runs one viewport job the way the seed's <c>run_download_process()</c> does: download → every
/// post-processor (index creation, pyramids, previews...) in parallel → validation → ready, with one
/// monotonic 0–100 figure following the seed's timeline:
/// 0–10 starting, 10–30 downloads, 30–45 cached downloads skipped, 45–75 post-processors running,
/// 75–85 waiting for the last of them, 85–95 validation, 95–100 ready.
/// </summary>
/// <remarks>
/// An optional post-processor that fails (the index, as the seed asks) is logged as a warning and
/// marked <see cref="ViewportFeatureState.Failed"/>; the viewport still becomes ready without it.
/// A failed download or required feature fails the job. Cancellation stops every running step.
/// </remarks>
public sealed class ViewportPipeline
{
    private readonly IViewportDownloader _downloader;
    private readonly IReadOnlyList<IViewportPostProcessor> _postProcessors;
    private readonly ViewportPipelineOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="downloader">The download stage.</param>
    /// <param name="postProcessors">The post-processors, run in parallel (feature names must be distinct).</param>
    /// <param name="options">Settings (the indices root).</param>
    /// <param name="logger">Logger.</param>
    public ViewportPipeline(
        IViewportDownloader downloader,
        IEnumerable<IViewportPostProcessor> postProcessors,
        IOptions<ViewportPipelineOptions> options,
        ILogger<ViewportPipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(downloader);
        ArgumentNullException.ThrowIfNull(postProcessors);
        ArgumentNullException.ThrowIfNull(options);
        _downloader = downloader;
        _postProcessors = postProcessors.ToArray();
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var duplicate = _postProcessors.GroupBy(p => p.Feature, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two post-processors provide feature '{duplicate.Key}'.", nameof(postProcessors));
        }

        if (_postProcessors.Any(p => p.Feature == ViewportProgressTracker.DownloadFeature))
        {
            throw new ArgumentException($"'{ViewportProgressTracker.DownloadFeature}' is the download stage's name, not a post-processor's.", nameof(postProcessors));
        }
    }

    /// <summary>The feature names a job reports: <c>download</c> then each post-processor's.</summary>
    public IReadOnlyList<string> Features => [ViewportProgressTracker.DownloadFeature, .. _postProcessors.Select(p => p.Feature)];

    /// <summary>Runs <paramref name="job"/> to the end.</summary>
    /// <param name="job">The job.</param>
    /// <param name="progress">Receives a snapshot at every change (percent never decreases).</param>
    /// <param name="cancellationToken">Cancels the job: running steps are stopped and the status ends <see cref="ViewportStage.Cancelled"/>.</param>
    /// <returns>The final status: ready (possibly with features missing), failed or cancelled.</returns>
    public async Task<ViewportStatus> RunAsync(ViewportJob job, IProgress<ViewportStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        MosaicLayout.ValidateViewportId(job.ViewportId);
        var root = Path.GetFullPath(_options.IndicesRoot);
        var context = new ViewportJobContext(job, root, MosaicLayout.GetViewportDirectory(root, job.ViewportId));
        var tracker = new ViewportProgressTracker(job.ViewportId, _postProcessors.Select(p => p.Feature), s => progress?.Report(s));

        try
        {
            tracker.Stage(ViewportStage.Starting, 0, "Starting parallel downloads...");
            Directory.CreateDirectory(root);
            tracker.Stage(ViewportStage.Starting, 10, "Starting parallel downloads...");

            // 10–30: downloads.
            tracker.Feature(ViewportProgressTracker.DownloadFeature, ViewportFeatureState.Running, 0, percent: 10, message: "Downloading embeddings...");
            tracker.Stage(ViewportStage.Downloading, 10, "Downloading embeddings...");
            ViewportDownloadResult download;
            try
            {
                download = await _downloader.DownloadAsync(
                    context,
                    new SyncProgress<double>(f => tracker.Feature(ViewportProgressTracker.DownloadFeature, ViewportFeatureState.Running, f, percent: 10 + (20 * Math.Clamp(f, 0, 1)))),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                tracker.Feature(ViewportProgressTracker.DownloadFeature, ViewportFeatureState.Failed, 0, e.Message);
                _logger.LogError(e, "Viewport {ViewportId}: download failed", job.ViewportId);
                tracker.Stage(ViewportStage.Failed, 0, $"Download failed: {e.Message}", e.Message);
                return tracker.Snapshot;
            }

            context = context with { MosaicPath = download.MosaicPath };
            tracker.Feature(
                ViewportProgressTracker.DownloadFeature,
                download.Cached ? ViewportFeatureState.Cached : ViewportFeatureState.Completed,
                1,
                percent: 30,
                message: download.Cached ? "Using cached downloads" : "Downloads complete");

            // 30–45: the downloads are there (or were cached).
            tracker.Stage(ViewportStage.Downloaded, 45, download.Cached ? "Skipped downloads (cached)" : "Downloads complete");

            // 45–85: every post-processor in parallel.
            var failed = await RunPostProcessorsAsync(context, tracker, cancellationToken).ConfigureAwait(false);
            var requiredFailure = failed.FirstOrDefault(f => IsRequired(f.Processor));
            if (requiredFailure.Processor is not null)
            {
                tracker.Stage(ViewportStage.Failed, 85, $"Required feature '{requiredFailure.Processor.Feature}' failed", requiredFailure.Error);
                return tracker.Snapshot;
            }

            // 85–95: validation of what is available.
            tracker.Stage(ViewportStage.Validating, 85, "Validating outputs...");
            var snapshot = tracker.Snapshot;
            var toValidate = _postProcessors.Where(p => snapshot.Features.First(f => f.Feature == p.Feature).IsAvailable).ToArray();
            for (var i = 0; i < toValidate.Length; i++)
            {
                var processor = toValidate[i];
                try
                {
                    await processor.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning(e, "Viewport {ViewportId}: feature {Feature} failed validation; the viewport stays usable without it", job.ViewportId, processor.Feature);
                    tracker.Feature(processor.Feature, ViewportFeatureState.Failed, 1, $"Validation failed: {e.Message}");
                    if (IsRequired(processor))
                    {
                        tracker.Stage(ViewportStage.Failed, 85, $"Required feature '{processor.Feature}' is invalid", e.Message);
                        return tracker.Snapshot;
                    }
                }

                tracker.Stage(ViewportStage.Validating, 85 + (10.0 * (i + 1) / toValidate.Length), "Validating outputs...");
            }

            // 95–100: ready.
            tracker.Stage(ViewportStage.Validating, 95, "Validating outputs...");
            var missing = tracker.Snapshot.Features.Where(f => !f.IsAvailable).Select(f => f.Feature).ToArray();
            var message = missing.Length == 0
                ? "✓ Viewport ready for exploration"
                : $"✓ Viewport ready for exploration (missing: {string.Join(", ", missing)})";
            tracker.Stage(ViewportStage.Ready, 100, message);
            _logger.LogInformation("Viewport {ViewportId} ready; missing features: {Missing}", job.ViewportId, missing.Length == 0 ? "none" : string.Join(", ", missing));
            return tracker.Snapshot;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var feature in tracker.Snapshot.Features.Where(f => f.State is ViewportFeatureState.Running or ViewportFeatureState.Pending))
            {
                tracker.Feature(feature.Feature, ViewportFeatureState.Cancelled, feature.Percent / 100);
            }

            tracker.Stage(ViewportStage.Cancelled, 0, "Cancelled");
            _logger.LogInformation("Viewport {ViewportId}: job cancelled", job.ViewportId);
            return tracker.Snapshot;
        }
    }

    private async Task<List<(IViewportPostProcessor Processor, string Error)>> RunPostProcessorsAsync(
        ViewportJobContext context,
        ViewportProgressTracker tracker,
        CancellationToken cancellationToken)
    {
        var failed = new List<(IViewportPostProcessor, string)>();
        if (_postProcessors.Count == 0)
        {
            tracker.Stage(ViewportStage.Waiting, 85, "Nothing to post-process");
            return failed;
        }

        var names = _postProcessors.Select(p => p.Feature).ToArray();
        var gate = new object();
        tracker.Stage(ViewportStage.PostProcessing, 45, string.Join(" + ", _postProcessors.Select(p => p.RunningMessage)));

        // Each running step contributes its fraction × 30 points over 45..75; each finished step
        // its share of the last 10 (75..85), so the figure moves as the steps report and finish.
        void Aggregate()
        {
            var states = tracker.Read(names);
            double running = 0;
            var finished = 0;
            var remaining = new List<string>();
            for (var i = 0; i < states.Length; i++)
            {
                var isDone = states[i].State is not (ViewportFeatureState.Running or ViewportFeatureState.Pending);
                running += isDone ? 1 : states[i].Fraction;
                if (isDone)
                {
                    finished++;
                }
                else
                {
                    remaining.Add(names[i]);
                }
            }

            var percent = 45 + (30 * running / names.Length) + (10.0 * finished / names.Length);
            if (percent >= 75 && remaining.Count > 0)
            {
                tracker.Stage(ViewportStage.Waiting, percent, $"Waiting for {string.Join(", ", remaining)} to complete...");
            }
            else if (remaining.Count > 0)
            {
                var messages = _postProcessors.Where(p => remaining.Contains(p.Feature)).Select(p => p.RunningMessage);
                tracker.Stage(ViewportStage.PostProcessing, percent, string.Join(" + ", messages));
            }
            else
            {
                tracker.Stage(ViewportStage.Waiting, percent, "Post-processing complete");
            }
        }

        async Task RunOne(int i)
        {
            var processor = _postProcessors[i];
            tracker.Feature(processor.Feature, ViewportFeatureState.Running, 0);

            // Run on the thread pool so a processor that works synchronously cannot hold up the others.
            try
            {
                var outcome = await Task.Run(
                    () => processor.RunAsync(
                        context,
                        new SyncProgress<double>(f =>
                        {
                            tracker.Feature(processor.Feature, ViewportFeatureState.Running, f);
                            Aggregate();
                        }),
                        cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                tracker.Feature(processor.Feature, outcome == ViewportFeatureOutcome.Cached ? ViewportFeatureState.Cached : ViewportFeatureState.Completed, 1);
                _logger.LogInformation("Viewport {ViewportId}: {Feature} {Outcome}", context.ViewportId, processor.Feature, outcome == ViewportFeatureOutcome.Cached ? "found cached" : "created");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                tracker.Feature(processor.Feature, ViewportFeatureState.Cancelled, 0);
                throw;
            }
            catch (Exception e)
            {
                // The seed: "If FAISS index fails: continue (non-blocking, log warning)".
                _logger.LogWarning(e, "Viewport {ViewportId}: {Feature} failed; the viewport stays usable without it", context.ViewportId, processor.Feature);
                tracker.Feature(processor.Feature, ViewportFeatureState.Failed, 0, e.Message);
                lock (gate)
                {
                    failed.Add((processor, e.Message));
                }
            }

            Aggregate();
        }

        await Task.WhenAll(Enumerable.Range(0, _postProcessors.Count).Select(RunOne)).ConfigureAwait(false);
        tracker.Stage(ViewportStage.Waiting, 85, "Post-processing complete");
        return failed;
    }

    private bool IsRequired(IViewportPostProcessor processor) =>
        processor.IsRequired || _options.RequiredFeatures.Contains(processor.Feature, StringComparer.Ordinal);
}
