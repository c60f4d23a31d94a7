using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Indexing.Supabase.Configuration;
using Tessera.Indexing.Supabase.Tests.Support;

namespace Tessera.Indexing.Supabase.Tests;

/// <summary>Sets process environment variables, so it runs alone (no other class reads them while it does).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SupabaseEnvironmentTests
{
    [Fact]
    public async Task Url_and_key_fall_back_to_the_environment_and_open_a_working_store()
    {
        await using var server = await Server.FakeSupabaseServer.StartAsync();
        Environment.SetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable, server.Url.ToString());
        Environment.SetEnvironmentVariable(SupabaseOptions.KeyEnvironmentVariable, server.SecretKey);
        try
        {
            var services = new ServiceCollection();
            services.AddTesseraIndexing().AddSupabase();
            await using var provider = services.BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<SupabaseOptions>>().Value;
            var store = provider.GetServices<Tessera.Indexing.Storage.IShardStoreFactory>().OfType<Tessera.Indexing.Supabase.Storage.SupabaseShardStoreFactory>().Single().Open("supabase://env-bucket/p");
            await store.PutAsync("x.json", "{}"u8.ToArray());

            Assert.Equal(server.Url.ToString(), options.Url);
            Assert.Equal(server.SecretKey, options.Key);
            Assert.Equal("{}"u8.ToArray(), server.ObjectContent("env-bucket", "p/x.json"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable, null);
            Environment.SetEnvironmentVariable(SupabaseOptions.KeyEnvironmentVariable, null);
        }
    }

    [Fact]
    public void Configured_values_win_over_the_environment()
    {
        Environment.SetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable, "https://from-env.supabase.co");
        try
        {
            var services = new ServiceCollection();
            services.AddTesseraIndexing().AddSupabase(o =>
            {
                o.Url = "https://configured.supabase.co";
                o.Key = "sb_secret_x";
            });
            using var provider = services.BuildServiceProvider();

            Assert.Equal("https://configured.supabase.co", provider.GetRequiredService<IOptions<SupabaseOptions>>().Value.Url);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable, null);
        }
    }
}
