namespace Tessera.Indexing.Supabase.Tests.Server;

/// <summary>A fault injected into the next <see cref="Times"/> requests that <see cref="Matches"/> accepts.</summary>
public sealed class Fault(FaultKind kind, Func<RecordedRequest, bool> matches, int times = 1)
{
    private int _fired;
    private int _remaining = times;

    public FaultKind Kind { get; } = kind;

    public Func<RecordedRequest, bool> Matches { get; } = matches;

    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How many times it fired.</summary>
    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Stops the fault from firing again.</summary>
    public void Disarm() => Volatile.Write(ref _remaining, 0);

    internal bool TryTake()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _remaining);
            if (remaining <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
            {
                Interlocked.Increment(ref _fired);
                return true;
            }
        }
    }
}
