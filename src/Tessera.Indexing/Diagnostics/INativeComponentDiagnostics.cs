namespace Tessera.Indexing.Diagnostics;

/// <summary>
/// A native component that can report on itself for <see cref="TesseraNativeLibraries.Diagnose"/>:
/// whether its library loads, from where, its version and runtime settings. Core reports the FAISS
/// shim itself; a provider package registers its own implementation with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;INativeComponentDiagnostics, MyDiagnostics&gt;())</c>,
/// and <see cref="TesseraDiagnostics"/> collects them.
/// </summary>
public interface INativeComponentDiagnostics
{
    /// <summary>The component's name in reports (for example <c>GDAL</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Loads the component if needed and describes it. Should not throw: a library that does not load is
    /// a <see cref="NativeComponentStatus.Missing"/> report (an exception is caught and reported as
    /// <see cref="NativeComponentStatus.Faulted"/>).
    /// </summary>
    /// <returns>The component's report.</returns>
    NativeComponentReport Diagnose();
}
