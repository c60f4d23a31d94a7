using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Opens <c>supabase://bucket/prefix</c> locations as <see cref="SupabaseShardStore"/>s. The project URL and key
/// come from the <c>Supabase</c> options, which fall back to the <c>SUPABASE_URL</c> and <c>SUPABASE_KEY</c>
/// environment variables; the location itself never holds them. Registered by <c>AddSupabase()</c>.
/// </summary>
public sealed class SupabaseShardStoreFactory : IShardStoreFactory
{
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<SupabaseOptions> _options;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the factory (through dependency injection).</summary>
    /// <param name="services">Resolves the typed Storage client.</param>
    /// <param name="options">The Supabase options.</param>
    /// <param name="loggers">Loggers for the stores; <see langword="null"/> for none.</param>
    public SupabaseShardStoreFactory(IServiceProvider services, IOptionsMonitor<SupabaseOptions> options, ILoggerFactory? loggers = null)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    /// <remarks>Every <c>supabase://</c> location, valid or not, so that <see cref="Open"/> can say what is wrong with an invalid one.</remarks>
    public bool CanOpen(string location) => SupabaseStoreLocation.HasScheme(location);

    /// <inheritdoc />
    /// <exception cref="FormatException">The location is not <c>supabase://bucket[/prefix]</c> with a bucket and prefix Supabase Storage accepts (the message says what is wrong).</exception>
    /// <exception cref="OptionsValidationException">The URL or key is missing or invalid (the message names the setting).</exception>
    public IShardStore Open(string location)
    {
        var parsed = SupabaseStoreLocation.Parse(location);
        var options = _options.CurrentValue;
        var client = _services.GetRequiredService<SupabaseStorageClient>();
        return new SupabaseShardStore(client, options, parsed.Bucket, parsed.Prefix, _loggers.CreateLogger<SupabaseShardStore>());
    }
}
