using System.Collections.Concurrent;

namespace Tessera.Cli.Benchmarking;

/// <summary>Wall time accumulated per named stage (thread-safe; stages may be reported from several threads).</summary>
internal sealed class StageClock
{
    private readonly ConcurrentDictionary<string, long> _ticks = new();

    public void Add(string stage, TimeSpan elapsed) => _ticks.AddOrUpdate(stage, elapsed.Ticks, (_, t) => t + elapsed.Ticks);

    public TimeSpan this[string stage] => TimeSpan.FromTicks(_ticks.GetValueOrDefault(stage));

    public bool Has(string stage) => _ticks.ContainsKey(stage);

    /// <summary>Runs <paramref name="action"/> and adds its wall time to <paramref name="stage"/>.</summary>
    public void Time(string stage, Action action)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            action();
        }
        finally
        {
            Add(stage, System.Diagnostics.Stopwatch.GetElapsedTime(start));
        }
    }
}
