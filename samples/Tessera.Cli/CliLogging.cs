using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Tessera.Cli;

/// <summary>The commands' one logging set-up.</summary>
internal static class CliLogging
{
    /// <summary>
    /// Single-line console logs, every level on stderr (stdout carries the command's output, one
    /// JSON document with <c>--json</c>): warnings and errors, or information too when <paramref name="verbose"/>.
    /// HttpClient's per-request lines are kept at warning.
    /// </summary>
    public static IServiceCollection AddCliLogging(this IServiceCollection services, bool verbose)
    {
        services.AddLogging(logging => logging
            .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return services;
    }
}
