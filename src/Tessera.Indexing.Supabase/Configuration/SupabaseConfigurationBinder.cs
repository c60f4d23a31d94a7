using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>Binds <see cref="SupabaseOptions"/> from the <c>Supabase</c> section of the registered <see cref="IConfiguration"/>, when there is one.</summary>
internal sealed class SupabaseConfigurationBinder(IServiceProvider services) : IConfigureOptions<SupabaseOptions>
{
    public void Configure(SupabaseOptions options)
    {
        var configuration = services.GetService<IConfiguration>();
        configuration?.GetSection(SupabaseOptions.SectionName).Bind(options);
    }
}
