namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>
/// Retries of transient failures: HTTP 429, 5xx (and Supabase's 544 database timeout, and a 400 whose
/// body carries a 5xx code), dropped connections and timed-out attempts. Caller errors (other 4xx) are
/// never retried. Delays grow exponentially from <see cref="BaseDelay"/> with jitter, up to <see cref="MaxDelay"/>.
/// </summary>
public sealed class SupabaseRetryOptions
{
    /// <summary>Retries after the first attempt (default 5; 0 turns retrying off).</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>The delay before the first retry (default 500 ms).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two attempts (default 30 s).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it is abandoned and retried (default 2 minutes).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
