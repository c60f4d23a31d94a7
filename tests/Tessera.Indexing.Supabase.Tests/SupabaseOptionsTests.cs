using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Items;
using Tessera.Indexing.Supabase.Storage;

namespace Tessera.Indexing.Supabase.Tests;

public sealed class SupabaseOptionsTests
{
    private const string Key = "sb_secret_0123456789abcdef";

    private static void Valid(SupabaseOptions o)
    {
        o.Url = "https://abcd.supabase.co";
        o.Key = Key;
        o.Bucket = "faiss";
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "Url=", "Supabase:Url is required" },
        { "Url=ftp://example.org", "Supabase:Url must be an absolute http or https URL" },
        { "Url=https://user:pw@example.org", "Supabase:Url must not carry credentials" },
        { "Key=", "Supabase:Key is required" },
        { "Bucket=a/b", "Supabase:Bucket" },
        { "Prefix=../up", "Supabase:Prefix" },
        { "MaxObjectBytes=0", "Supabase:MaxObjectBytes" },
        { "ListPageSize=0", "Supabase:ListPageSize" },
        { "Retry:MaxRetryAttempts=-1", "Supabase:Retry:MaxRetryAttempts" },
        { "Retry:MaxDelay=00:00:00.001", "Supabase:Retry:MaxDelay" },
        { "Retry:AttemptTimeout=00:00:00", "Supabase:Retry:AttemptTimeout" },
        { "Table:Name=x; drop table y", "Supabase:Table:Name" },
        { "Table:IdColumn=", "Supabase:Table:IdColumn" },
        { "Table:PageSize=0", "Supabase:Table:PageSize" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_fails_at_start_naming_the_setting(string setting, string expected)
    {
        var parts = setting.Split('=', 2);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supabase:Url"] = "https://abcd.supabase.co",
            ["Supabase:Key"] = Key,
            ["Supabase:Bucket"] = "faiss",
            ["Supabase:" + parts[0]] = parts[1],
        });
        builder.Services.AddTesseraIndexing().AddSupabase();
        using var host = builder.Build();
        var fallbackUrl = Environment.GetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable);
        var fallbackKey = Environment.GetEnvironmentVariable(SupabaseOptions.KeyEnvironmentVariable);
        Assert.True(fallbackUrl is null && fallbackKey is null, "the test needs SUPABASE_URL and SUPABASE_KEY unset");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_settings_start()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTesseraIndexing().AddSupabase(Valid);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void Options_bind_from_the_supabase_configuration_section_then_the_callback()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Supabase:Url"] = "https://abcd.supabase.co",
            ["Supabase:Key"] = Key,
            ["Supabase:Bucket"] = "indexes",
            ["Supabase:Prefix"] = "faiss/v2",
            ["Supabase:MaxObjectBytes"] = "1000000",
            ["Supabase:Retry:MaxRetryAttempts"] = "7",
            ["Supabase:Retry:BaseDelay"] = "00:00:02",
            ["Supabase:Table:Name"] = "items",
            ["Supabase:Table:BrandColumn"] = "maker",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddTesseraIndexing().AddSupabase(o => o.ListPageSize = 250);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SupabaseOptions>>().Value;

        Assert.Equal("https://abcd.supabase.co", options.Url);
        Assert.Equal("indexes", options.Bucket);
        Assert.Equal("faiss/v2", options.Prefix);
        Assert.Equal(1_000_000, options.MaxObjectBytes);
        Assert.Equal(7, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Retry.BaseDelay);
        Assert.Equal("items", options.Table.Name);
        Assert.Equal("maker", options.Table.BrandColumn);
        Assert.Equal(250, options.ListPageSize);
        Assert.Equal("supabase://indexes/faiss/v2", provider.GetRequiredKeyedService<IShardStore>("supabase").Location);
    }

    [Fact]
    public void Options_to_string_never_shows_the_key()
    {
        var options = new SupabaseOptions();
        Valid(options);

        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("***", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_is_idempotent_and_exposes_the_keyed_services_and_the_factory()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase(Valid).AddSupabase();
        using var provider = services.BuildServiceProvider();

        var factories = provider.GetServices<IShardStoreFactory>().ToList();

        Assert.Single(factories.OfType<SupabaseShardStoreFactory>());
        Assert.IsType<SupabaseShardStore>(provider.GetRequiredKeyedService<IShardStore>("supabase"));
        Assert.IsType<SupabaseItemSource>(provider.GetRequiredKeyedService<IItemSource>("supabase"));
        Assert.Equal(1, services.Count(d => d.ServiceType == typeof(IValidateOptions<SupabaseOptions>)));
    }

    [Fact]
    public void An_application_registration_made_first_wins()
    {
        var mine = new NoStore();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IShardStore>("supabase", mine);
        services.AddTesseraIndexing().AddSupabase(Valid);
        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredKeyedService<IShardStore>("supabase"));
    }

    [Fact]
    public void The_keyed_store_without_a_bucket_says_which_setting_is_missing()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase(o =>
        {
            Valid(o);
            o.Bucket = null;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<IShardStore>("supabase"));

        Assert.Contains("Supabase:Bucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_opens_supabase_locations_only()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase(o =>
        {
            Valid(o);
            o.Bucket = null;
        });
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetServices<IShardStoreFactory>().OfType<SupabaseShardStoreFactory>().Single();

        Assert.True(factory.CanOpen("supabase://faiss/runs/2024"));
        Assert.True(factory.CanOpen("supabase://faiss"));
        Assert.False(factory.CanOpen("/data/shards"));
        Assert.False(factory.CanOpen("file:///data/shards"));
        Assert.False(factory.CanOpen("supabasex://faiss"));
        var store = factory.Open("supabase://faiss/runs/2024/");
        Assert.Equal("supabase://faiss/runs/2024", store.Location);
        Assert.Throws<FormatException>(() => factory.Open("s3://bucket"));
    }

    [Fact]
    public void The_factory_without_url_or_key_fails_naming_the_environment_variables()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase();
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetServices<IShardStoreFactory>().OfType<SupabaseShardStoreFactory>().Single();
        Assert.True(Environment.GetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable) is null, "the test needs SUPABASE_URL unset");

        var error = Assert.Throws<OptionsValidationException>(() => factory.Open("supabase://faiss"));

        Assert.Contains("SUPABASE_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("SUPABASE_KEY", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("supabase://b", "b", "")]
    [InlineData("supabase://b/", "b", "")]
    [InlineData("supabase://b/p/q", "b", "p/q")]
    [InlineData("SUPABASE://b/p", "b", "p")]
    public void Locations_parse_into_bucket_and_prefix(string location, string bucket, string prefix)
    {
        var parsed = SupabaseStoreLocation.Parse(location);

        Assert.Equal(bucket, parsed.Bucket);
        Assert.Equal(prefix, parsed.Prefix);
    }

    [Theory]
    [InlineData("supabase://odd bucket!/runs", "odd bucket!", "runs")]
    [InlineData("supabase://a(1)&b$c=d;e:f+g,h?i'j*k/x y", "a(1)&b$c=d;e:f+g,h?i'j*k", "x y")]
    public void Locations_take_every_bucket_name_the_server_accepts(string location, string bucket, string prefix)
    {
        var parsed = SupabaseStoreLocation.Parse(location);

        Assert.Equal(bucket, parsed.Bucket);
        Assert.Equal(prefix, parsed.Prefix);
    }

    [Theory]
    [InlineData("supabase://bad#bucket/x", "'#'")]
    [InlineData("supabase://bücket/x", "'ü'")]
    [InlineData("supabase://0123456789012345678901234567890123456789012345678901234567890123/x", "63 characters")]
    [InlineData("supabase://faiss/runs/über", "'ü'")]
    [InlineData("supabase://faiss/a//b", "empty")]
    [InlineData("supabase://faiss/../b", "'..'")]
    [InlineData("supabase://", "no bucket")]
    [InlineData("supabase://user:pw@faiss/x", "credentials")]
    public void A_location_the_server_would_refuse_says_what_is_wrong(string location, string expected)
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase(Valid);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<FormatException>(() => ShardStores.Open(provider.GetServices<IShardStoreFactory>(), location));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("No shard store understands", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_setting_the_server_would_refuse_fails_at_start_saying_why()
    {
        var services = new ServiceCollection();
        services.AddTesseraIndexing().AddSupabase(o =>
        {
            Valid(o);
            o.Bucket = "bad#bucket";
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SupabaseOptions>>().Value);

        Assert.Contains("Supabase:Bucket", error.Message, StringComparison.Ordinal);
        Assert.Contains("'#'", error.Message, StringComparison.Ordinal);
    }

    private sealed class NoStore : IShardStore
    {
        public string Location => "none://";

        public Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
