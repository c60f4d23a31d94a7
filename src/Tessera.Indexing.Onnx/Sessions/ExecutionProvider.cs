namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>Where ONNX Runtime runs a model.</summary>
public enum ExecutionProvider
{
    /// <summary>Try CUDA; if the CUDA execution provider cannot be started, log one warning and run on the CPU.</summary>
    Auto = 0,

    /// <summary>Run on the CPU.</summary>
    Cpu = 1,

    /// <summary>Run on CUDA; fail with an <see cref="OnnxRuntimeException"/> when the CUDA execution provider is unavailable.</summary>
    Cuda = 2,
}
