using Microsoft.Extensions.Options;

namespace Tessera.Indexing.Supabase.Configuration;

/// <summary>Fills an unset <see cref="SupabaseOptions.Url"/> and <see cref="SupabaseOptions.Key"/> from <c>SUPABASE_URL</c> and <c>SUPABASE_KEY</c>.</summary>
internal sealed class SupabaseEnvironmentFallback : IPostConfigureOptions<SupabaseOptions>
{
    public void PostConfigure(string? name, SupabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Url))
        {
            options.Url = Environment.GetEnvironmentVariable(SupabaseOptions.UrlEnvironmentVariable);
        }

        if (string.IsNullOrWhiteSpace(options.Key))
        {
            options.Key = Environment.GetEnvironmentVariable(SupabaseOptions.KeyEnvironmentVariable);
        }
    }
}
