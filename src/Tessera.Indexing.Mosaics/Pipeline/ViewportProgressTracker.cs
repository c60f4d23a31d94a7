namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>
/// Aggregates a job's stage, per-feature states and fractions into one snapshot with a 0–100
/// figure that never decreases, and publishes each change. Thread-safe: post-processors report
/// from their own threads.
/// </summary>
internal sealed class ViewportProgressTracker
{
    public const string DownloadFeature = "download";

    private readonly object _gate = new();
    private readonly string _viewportId;
    private readonly Action<ViewportStatus> _publish;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (ViewportFeatureState State, double Fraction, string? Error)> _features = [];
    private ViewportStage _stage = ViewportStage.Queued;
    private double _percent;
    private string _message = "Queued";
    private string? _error;
    private bool _finished;

    public ViewportProgressTracker(string viewportId, IEnumerable<string> features, Action<ViewportStatus> publish)
    {
        _viewportId = viewportId;
        _publish = publish;
        foreach (var feature in features.Prepend(DownloadFeature))
        {
            if (_features.TryAdd(feature, (ViewportFeatureState.Pending, 0, null)))
            {
                _order.Add(feature);
            }
        }
    }

    public ViewportStatus Snapshot
    {
        get
        {
            lock (_gate)
            {
                return BuildSnapshot();
            }
        }
    }

    /// <summary>Moves to <paramref name="stage"/> at <paramref name="percent"/> (ignored if lower than already reported).</summary>
    public void Stage(ViewportStage stage, double percent, string message, string? error = null)
    {
        ViewportStatus snapshot;
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _finished = stage is ViewportStage.Ready or ViewportStage.Failed or ViewportStage.Cancelled;
            _stage = stage;
            _percent = Math.Max(_percent, Math.Clamp(percent, 0, 100));
            _message = message;
            _error = error ?? _error;
            snapshot = BuildSnapshot();
        }

        _publish(snapshot);
    }

    /// <summary>Updates one feature; <paramref name="percent"/> (when given) moves the overall figure, never down.</summary>
    public void Feature(string feature, ViewportFeatureState state, double fraction, string? error = null, double? percent = null, string? message = null)
    {
        ViewportStatus snapshot;
        lock (_gate)
        {
            if (_finished)
            {
                return; // a late report from a step that outlived its job
            }

            var current = _features[feature];

            // A feature's own fraction never goes down either (late progress callbacks are ignored).
            _features[feature] = (state, Math.Max(current.Fraction, Math.Clamp(fraction, 0, 1)), error);
            if (percent is { } p)
            {
                _percent = Math.Max(_percent, Math.Clamp(p, 0, 100));
            }

            if (message is not null)
            {
                _message = message;
            }

            snapshot = BuildSnapshot();
        }

        _publish(snapshot);
    }

    /// <summary>The fractions of <paramref name="features"/>, for aggregation.</summary>
    public (double Fraction, ViewportFeatureState State)[] Read(IReadOnlyList<string> features)
    {
        lock (_gate)
        {
            var result = new (double, ViewportFeatureState)[features.Count];
            for (var i = 0; i < features.Count; i++)
            {
                var f = _features[features[i]];
                result[i] = (f.Fraction, f.State);
            }

            return result;
        }
    }

    private ViewportStatus BuildSnapshot()
    {
        var features = new ViewportFeatureStatus[_order.Count];
        for (var i = 0; i < features.Length; i++)
        {
            var (state, fraction, error) = _features[_order[i]];
            features[i] = new ViewportFeatureStatus(_order[i], state, Math.Round(fraction * 100, 1), error);
        }

        return new ViewportStatus(_viewportId, _stage, Math.Round(_percent, 1), _message, features, _error, DateTimeOffset.UtcNow);
    }
}
