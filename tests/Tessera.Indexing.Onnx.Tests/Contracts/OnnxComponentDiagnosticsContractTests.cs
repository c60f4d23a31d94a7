using Tessera.Indexing.Diagnostics;
using Tessera.Indexing.Onnx.Diagnostics;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Onnx.Tests.Contracts;

/// <summary>ONNX Runtime's diagnostics meet the <see cref="INativeComponentDiagnostics"/> contract.</summary>
public sealed class OnnxComponentDiagnosticsContractTests : NativeComponentDiagnosticsContract
{
    /// <inheritdoc />
    protected override string LibraryFilePrefix => "libonnxruntime.so";

    /// <inheritdoc />
    protected override INativeComponentDiagnostics Create() => new OnnxComponentDiagnostics();
}
