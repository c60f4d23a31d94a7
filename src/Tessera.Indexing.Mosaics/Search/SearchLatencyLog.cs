using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Counts a searcher's search batches and logs each one's time as the "first" (which faults the
/// mapped embeddings in) or a "later" one, so the two latencies can be told apart in a server's log.
/// </summary>
internal sealed class SearchLatencyLog(string viewportId, ILogger logger)
{
    private long _searches;

    /// <summary>Runs <paramref name="search"/> and logs how long it took.</summary>
    public T Measure<T>(int requests, Func<T> search)
    {
        var started = Stopwatch.GetTimestamp();
        var result = search();
        var number = Interlocked.Increment(ref _searches);
        logger.LogInformation(
            "Viewport {ViewportId}: {Which} search of this searcher ({Number}, {Requests} request(s)) took {ElapsedMs:F1} ms",
            viewportId,
            number == 1 ? "first" : "later",
            number,
            requests,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }
}
