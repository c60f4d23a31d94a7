using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// The hosted service that works through the <see cref="ViewportJobQueue"/>: up to
/// <see cref="ViewportPipelineOptions.MaxConcurrentJobs"/> jobs at once, each run by the
/// <see cref="ViewportPipeline"/>, every status change recorded in the <see cref="IViewportStatusStore"/>.
/// </summary>
public sealed class ViewportProcessingService : BackgroundService
{
    private readonly ViewportJobQueue _queue;
    private readonly ViewportPipeline _pipeline;
    private readonly IViewportStatusStore _statuses;
    private readonly int _workers;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="queue">The job queue.</param>
    /// <param name="pipeline">Runs each job.</param>
    /// <param name="statuses">Receives status snapshots.</param>
    /// <param name="options">Concurrency.</param>
    /// <param name="logger">Logger.</param>
    public ViewportProcessingService(
        ViewportJobQueue queue,
        ViewportPipeline pipeline,
        IViewportStatusStore statuses,
        IOptions<ViewportPipelineOptions> options,
        ILogger<ViewportProcessingService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _pipeline = pipeline;
        _statuses = statuses;
        _workers = options.Value.MaxConcurrentJobs;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ViewportJobQueue.ActiveJob active;
            try
            {
                active = await _queue.DequeueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, active.Cancellation.Token);
                var final = await _pipeline.RunAsync(active.Job, new SyncProgress<ViewportStatus>(_statuses.Set), linked.Token).ConfigureAwait(false);
                _statuses.Set(final);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Viewport {ViewportId}: job crashed", active.Job.ViewportId);
                _statuses.Set(new ViewportStatus(active.Job.ViewportId, ViewportStage.Failed, 0, $"Job failed: {e.Message}", [], e.Message, DateTimeOffset.UtcNow));
            }
            finally
            {
                _queue.Complete(active);
            }
        }
    }
}
