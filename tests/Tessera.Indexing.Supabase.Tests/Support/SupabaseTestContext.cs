using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Tests.Server;

namespace Tessera.Indexing.Supabase.Tests.Support;

/// <summary>A fake Supabase server and a service provider wired to it through <c>AddSupabase</c>, with tiny retry delays.</summary>
public sealed class SupabaseTestContext : IAsyncDisposable
{
    public const string Bucket = "faiss";
    public const string Prefix = "runs/test";

    private SupabaseTestContext(FakeSupabaseServer server, ServiceProvider services, CapturingLoggerProvider logs, string key)
    {
        Server = server;
        Services = services;
        Logs = logs;
        Key = key;
    }

    public FakeSupabaseServer Server { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public string Key { get; }

    public IShardStore Store => Services.GetRequiredKeyedService<IShardStore>(TesseraSupabaseServiceCollectionExtensions.ServiceKey);

    /// <summary>Starts a server and wires a provider to it; <paramref name="key"/> picks the key (default the server's sb_secret key).</summary>
    public static async Task<SupabaseTestContext> StartAsync(Action<SupabaseOptions>? configure = null, Func<FakeSupabaseServer, string>? key = null)
    {
        var server = await FakeSupabaseServer.StartAsync();
        var chosenKey = key?.Invoke(server) ?? server.SecretKey;
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddTesseraIndexing().AddSupabase(o =>
        {
            o.Url = server.Url.ToString();
            o.Key = chosenKey;
            o.Bucket = Bucket;
            o.Prefix = Prefix;
            o.Retry.MaxRetryAttempts = 4;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
            // Well above a cold first request (JIT on a busy 2-core machine took over 1 s and was retried),
            // well below a Slow fault's default delay (6 s).
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(3);
            o.ResumableThresholdBytes = 100 * 1024;
            o.ResumableChunkBytes = 64 * 1024;
            configure?.Invoke(o);
        });
        return new SupabaseTestContext(server, services.BuildServiceProvider(validateScopes: true), logs, chosenKey);
    }

    public static byte[] Bytes(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
