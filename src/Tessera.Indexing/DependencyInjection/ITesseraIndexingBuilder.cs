namespace Microsoft.Extensions.DependencyInjection;

/// <summary>What <c>AddTesseraIndexing()</c> returns; the other Tessera packages hang their registrations off it (<c>.AddGdal()</c>, <c>.AddSupabase(...)</c>).</summary>
public interface ITesseraIndexingBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}
