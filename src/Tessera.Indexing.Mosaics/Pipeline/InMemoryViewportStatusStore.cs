using System.Collections.Concurrent;

namespace Tessera.Indexing.Mosaics.Pipeline;

/// <summary>Keeps the latest status of each viewport in memory. Within a job the percent never decreases, whatever order updates arrive in.</summary>
public sealed class InMemoryViewportStatusStore : IViewportStatusStore
{
    private readonly ConcurrentDictionary<string, ViewportStatus> _statuses = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Set(ViewportStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _statuses.AddOrUpdate(
            status.ViewportId,
            status,
            (_, old) => IsNewer(old, status) ? status : old);
    }

    /// <inheritdoc />
    public bool TryGet(string viewportId, out ViewportStatus status) => _statuses.TryGetValue(viewportId, out status!);

    private static bool IsNewer(ViewportStatus old, ViewportStatus candidate)
    {
        // A new job starts again from Queued/0; otherwise a snapshot may not go back in time.
        if (candidate.Stage == ViewportStage.Queued || old.IsFinished)
        {
            return true;
        }

        return candidate.UpdatedUtc >= old.UpdatedUtc && (candidate.Percent >= old.Percent || candidate.IsFinished);
    }
}
