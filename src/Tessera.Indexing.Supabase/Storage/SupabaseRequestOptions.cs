namespace Tessera.Indexing.Supabase.Storage;

/// <summary>Per-request flags that the HTTP pipeline reads and writes.</summary>
internal static class SupabaseRequestOptions
{
    /// <summary>Set on a request that must not be retried by the pipeline (a TUS PATCH: its caller resumes from the server's offset instead).</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("tessera.supabase.no-retry");

    /// <summary>Written by the retry handler: the attempt number that produced the response (1 for the first).</summary>
    public static readonly HttpRequestOptionsKey<int> Attempt = new("tessera.supabase.attempt");

    /// <summary>Whether the pipeline sent <paramref name="request"/> more than once.</summary>
    public static bool WasRetried(HttpRequestMessage request) =>
        request.Options.TryGetValue(Attempt, out var attempt) && attempt > 1;
}
