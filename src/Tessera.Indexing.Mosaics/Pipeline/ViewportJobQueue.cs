using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>A bounded <see cref="Channel{T}"/> of jobs, with one cancellation source per active viewport.</summary>
public sealed class ViewportJobQueue : IViewportJobQueue
{
    private readonly Channel<ActiveJob> _channel;
    private readonly ConcurrentDictionary<string, ActiveJob> _active = new(StringComparer.Ordinal);
    private readonly IViewportStatusStore _statuses;

    /// <summary>Creates the queue.</summary>
    /// <param name="options">Queue capacity.</param>
    /// <param name="statuses">Where the queued status is recorded.</param>
    public ViewportJobQueue(IOptions<ViewportPipelineOptions> options, IViewportStatusStore statuses)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(statuses);
        _statuses = statuses;
        _channel = Channel.CreateBounded<ActiveJob>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <inheritdoc />
    public bool TryEnqueue(ViewportJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var active = new ActiveJob(job);
        if (!_active.TryAdd(job.ViewportId, active))
        {
            active.Dispose();
            return false;
        }

        if (!_channel.Writer.TryWrite(active))
        {
            _active.TryRemove(new KeyValuePair<string, ActiveJob>(job.ViewportId, active));
            active.Dispose();
            return false;
        }

        _statuses.Set(new ViewportStatus(job.ViewportId, ViewportStage.Queued, 0, "Queued", [], null, DateTimeOffset.UtcNow));
        return true;
    }

    /// <inheritdoc />
    public bool TryCancel(string viewportId)
    {
        if (_active.TryGetValue(viewportId, out var active))
        {
            active.Cancellation.Cancel();
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public bool IsActive(string viewportId) => _active.ContainsKey(viewportId);

    /// <summary>Takes the next job (waits while the queue is empty).</summary>
    internal ValueTask<ActiveJob> DequeueAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAsync(cancellationToken);

    /// <summary>Forgets a finished job.</summary>
    internal void Complete(ActiveJob job)
    {
        _active.TryRemove(new KeyValuePair<string, ActiveJob>(job.Job.ViewportId, job));
        job.Dispose();
    }

    /// <summary>A queued or running job and its cancellation.</summary>
    internal sealed class ActiveJob(ViewportJob job) : IDisposable
    {
        public ViewportJob Job { get; } = job;

        public CancellationTokenSource Cancellation { get; } = new();

        public void Dispose() => Cancellation.Dispose();
    }
}
