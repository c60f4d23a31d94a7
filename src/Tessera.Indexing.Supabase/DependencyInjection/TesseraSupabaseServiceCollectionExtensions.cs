using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Items;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Items;
using Tessera.Indexing.Supabase.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Tessera.Indexing.Supabase: the Supabase Storage shard store, its location factory and the table item sources.</summary>
public static class TesseraSupabaseServiceCollectionExtensions
{
    /// <summary>The service key of the Supabase shard store and of the PostgREST item source.</summary>
    public const string ServiceKey = "supabase";

    /// <summary>The service key of the direct-Postgres item source.</summary>
    public const string PostgresServiceKey = "postgres";

    /// <summary>The name of the typed HTTP clients' retry pipeline, for logs.</summary>
    private const string LoggerCategory = "Tessera.Indexing.Supabase.Http";

    /// <summary>
    /// Adds Supabase: options bound from the <c>Supabase</c> configuration section (when an <c>IConfiguration</c> is
    /// registered), then <paramref name="configure"/>, then <c>SUPABASE_URL</c>/<c>SUPABASE_KEY</c> for what is still
    /// unset; validated at start (<c>ValidateOnStart</c>, each failure naming its setting). Registers
    /// <list type="bullet">
    /// <item>typed <see cref="HttpClient"/>s for Storage and PostgREST through <c>IHttpClientFactory</c>, with retries
    /// (exponential backoff and jitter) and logged header values redacted;</item>
    /// <item>the keyed <see cref="IShardStore"/> <c>"supabase"</c> (needs <c>Supabase:Bucket</c>);</item>
    /// <item><see cref="SupabaseShardStoreFactory"/> for <c>supabase://bucket/prefix</c> locations (TryAddEnumerable);</item>
    /// <item>the keyed <see cref="IItemSource"/> <c>"supabase"</c> (PostgREST) and <c>"postgres"</c> (Npgsql; needs <c>Supabase:Table:ConnectionString</c>).</item>
    /// </list>
    /// Every registration is a <c>TryAdd</c>, so an application's own wins.
    /// </summary>
    /// <param name="builder">The Tessera builder.</param>
    /// <param name="configure">Changes to the options after configuration binding; <see langword="null"/> for none.</param>
    /// <returns>The same builder.</returns>
    public static ITesseraIndexingBuilder AddSupabase(this ITesseraIndexingBuilder builder, Action<SupabaseOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SupabaseOptions>, SupabaseConfigurationBinder>());
        var options = services.AddOptions<SupabaseOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<SupabaseOptions>, SupabaseEnvironmentFallback>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SupabaseOptions>, SupabaseOptionsValidator>());
        options.ValidateOnStart();

        if (!services.Any(d => d.ServiceType == typeof(SupabaseStorageClient)))
        {
            AddTypedClient<SupabaseStorageClient>(services);
            AddTypedClient<SupabaseRestClient>(services);
        }

        services.TryAddKeyedSingleton<IShardStore>(ServiceKey, static (sp, _) =>
        {
            var o = sp.GetRequiredService<IOptions<SupabaseOptions>>().Value;
            if (string.IsNullOrEmpty(o.Bucket))
            {
                throw new InvalidOperationException($"{SupabaseOptions.SectionName}:Bucket is required for the keyed \"{ServiceKey}\" shard store (or open supabase://bucket/prefix through {nameof(IShardStoreFactory)}).");
            }

            return new SupabaseShardStore(
                sp.GetRequiredService<SupabaseStorageClient>(),
                o,
                o.Bucket,
                o.Prefix,
                sp.GetService<ILoggerFactory>()?.CreateLogger<SupabaseShardStore>());
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IShardStoreFactory, SupabaseShardStoreFactory>());

        services.TryAddKeyedSingleton<IItemSource>(ServiceKey, static (sp, _) => new SupabaseItemSource(
            sp.GetRequiredService<SupabaseRestClient>(),
            sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.Table,
            sp.GetService<ILoggerFactory>()?.CreateLogger<SupabaseItemSource>()));
        services.TryAddKeyedSingleton<IItemSource>(PostgresServiceKey, static (sp, _) =>
        {
            var table = sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.Table;
            if (string.IsNullOrWhiteSpace(table.ConnectionString))
            {
                throw new InvalidOperationException($"{SupabaseOptions.SectionName}:Table:ConnectionString is required for the keyed \"{PostgresServiceKey}\" item source.");
            }

            return new PostgresItemSource(table.ConnectionString, table, sp.GetService<ILoggerFactory>()?.CreateLogger<PostgresItemSource>());
        });

        return builder;
    }

    private static void AddTypedClient<TClient>(IServiceCollection services)
        where TClient : class
    {
        services.AddHttpClient<TClient>(static (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<SupabaseOptions>>().Value;
                http.BaseAddress = SupabaseStorageClient.BaseAddress(o.Url!);

                // Each attempt has its own timeout in the retry handler; the whole call ends with its token.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(static _ => true)

            // The default loggers print full URIs; a key pasted into a store prefix would show in them.
            .RemoveAllLoggers()
            .AddLogger(
                static sp => new SupabaseHttpLogger(
                    sp.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
                    sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.Key),
                wrapHandlersPipeline: true)
            .AddHttpMessageHandler(static sp => new SupabaseRetryHandler(
                sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.Retry,
                sp.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory),
                sp.GetRequiredService<IOptions<SupabaseOptions>>().Value.Key));
    }
}
