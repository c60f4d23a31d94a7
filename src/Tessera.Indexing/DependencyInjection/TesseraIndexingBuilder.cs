namespace Microsoft.Extensions.DependencyInjection;

internal sealed class TesseraIndexingBuilder(IServiceCollection services) : ITesseraIndexingBuilder
{
    public IServiceCollection Services { get; } = services;
}
