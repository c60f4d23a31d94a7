using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Gdal.Diagnostics;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Gdal.Tests.Contracts;

/// <summary>GDAL's diagnostics meet the <see cref="INativeComponentDiagnostics"/> contract.</summary>
public sealed class GdalComponentDiagnosticsContractTests : NativeComponentDiagnosticsContract
{
    /// <inheritdoc />
    protected override string LibraryFilePrefix => "libgdal.so";

    /// <inheritdoc />
    protected override INativeComponentDiagnostics Create() => new GdalComponentDiagnostics();
}
