namespace Tessera.Indexing.Diagnostics;

/// <summary>
/// <see cref="TesseraNativeLibraries.Diagnose"/> over every <see cref="INativeComponentDiagnostics"/>
/// registered in dependency injection (provider packages add theirs), for an app's health endpoint or
/// a <c>doctor</c> command. Resolve it from the container, or create it with
/// <c>ActivatorUtilities.CreateInstance&lt;TesseraDiagnostics&gt;(provider)</c>.
/// </summary>
public sealed class TesseraDiagnostics
{
    private readonly INativeComponentDiagnostics[] _contributors;

    /// <summary>Creates the service.</summary>
    /// <param name="contributors">The registered components (core's FAISS shim is always reported, and need not be registered).</param>
    public TesseraDiagnostics(IEnumerable<INativeComponentDiagnostics> contributors)
    {
        ArgumentNullException.ThrowIfNull(contributors);
        _contributors = [.. contributors];
    }

    /// <summary>Reports on core's components and every registered one. Never throws.</summary>
    /// <returns>The report.</returns>
    public TesseraDiagnosticsReport Diagnose() => TesseraNativeLibraries.Diagnose(_contributors);
}
