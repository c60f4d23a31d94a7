using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>Core's FAISS shim diagnostics meet the <see cref="INativeComponentDiagnostics"/> contract.</summary>
public sealed class FaissComponentDiagnosticsContractTests : NativeComponentDiagnosticsContract
{
    /// <inheritdoc />
    protected override string LibraryFilePrefix => "libtessera_faiss.so";

    /// <inheritdoc />
    protected override INativeComponentDiagnostics Create() => FaissComponentDiagnostics.Instance;
}
