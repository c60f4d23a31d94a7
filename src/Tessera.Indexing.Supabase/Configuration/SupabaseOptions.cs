namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>
/// How Tessera talks to a Supabase project: its URL and key, the Storage bucket and prefix that hold
/// shards, size limits, retries, and the table that lists the items. Bound from the configuration
/// section <c>Supabase</c> (<c>Supabase:Url</c>, <c>Supabase:Key</c>, <c>Supabase:Bucket</c>, …); the URL
/// and key fall back to the <c>SUPABASE_URL</c> and <c>SUPABASE_KEY</c> environment variables.
/// </summary>
public sealed class SupabaseOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Supabase";

    /// <summary>The environment variable read when <see cref="Url"/> is not configured.</summary>
    public const string UrlEnvironmentVariable = "SUPABASE_URL";

    /// <summary>The environment variable read when <see cref="Key"/> is not configured.</summary>
    public const string KeyEnvironmentVariable = "SUPABASE_KEY";

    /// <summary>One mebibyte.</summary>
    internal const long MiB = 1024 * 1024;

    /// <summary>The project URL, e.g. <c>https://abcd.supabase.co</c> (Storage is under <c>/storage/v1</c>, PostgREST under <c>/rest/v1</c>).</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The API key: a legacy JWT key (<c>anon</c> or <c>service_role</c>), sent as both <c>apikey</c> and
    /// <c>Authorization: Bearer</c>, or a new <c>sb_secret_…</c>/<c>sb_publishable_…</c> key, sent as
    /// <c>apikey</c> only. Never logged and never written to the store.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>The Storage bucket that holds the shards (for the keyed <c>"supabase"</c> store).</summary>
    public string? Bucket { get; set; }

    /// <summary>A folder inside the bucket that the store's names are relative to (empty for the bucket's root).</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Whether the store creates its bucket (private) on first write when it does not exist (default <see langword="true"/>).</summary>
    public bool CreateBucketIfMissing { get; set; } = true;

    /// <summary>
    /// The largest object the bucket accepts (default 50 MiB, Supabase's free-plan limit). Larger objects
    /// are refused before any byte is sent. When the bucket reports a smaller <c>file_size_limit</c>, that wins.
    /// </summary>
    public long MaxObjectBytes { get; set; } = 50 * MiB;

    /// <summary>Objects larger than this go through the resumable (TUS) endpoint (default 6 MiB).</summary>
    public long ResumableThresholdBytes { get; set; } = 6 * MiB;

    /// <summary>The size of each resumable upload chunk (default 6 MiB, the size Supabase requires).</summary>
    public int ResumableChunkBytes { get; set; } = (int)(6 * MiB);

    /// <summary>How many entries one list call asks for (default 100, the server's default; at most 1000).</summary>
    public int ListPageSize { get; set; } = 100;

    /// <summary>The <c>Cache-Control</c> stored with immutable objects (shards). Mutable ones always get <c>no-cache</c>.</summary>
    public string ImmutableCacheControl { get; set; } = "max-age=3600";

    /// <summary>Retries of transient failures.</summary>
    public SupabaseRetryOptions Retry { get; set; } = new();

    /// <summary>The table that lists the items to index.</summary>
    public SupabaseTableOptions Table { get; set; } = new();

    /// <summary>A secret-free description (the key is never shown).</summary>
    /// <returns>The URL, bucket and prefix.</returns>
    public override string ToString() => $"Supabase {{ Url = {Url}, Bucket = {Bucket}, Prefix = {Prefix}, Key = {(string.IsNullOrEmpty(Key) ? "(none)" : "***")} }}";
}
