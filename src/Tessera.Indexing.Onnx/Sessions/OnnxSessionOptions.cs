namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>How an <see cref="OnnxModel"/> is opened: execution provider, device, threading and graph optimisation.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>The execution provider; <see cref="ExecutionProvider.Auto"/> by default.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Auto;

    /// <summary>Threads ONNX Runtime uses inside one operator; 0 (the default) lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpNumThreads { get; set; }

    /// <summary>Threads ONNX Runtime uses across independent operators; 0 (the default) lets ONNX Runtime choose.</summary>
    public int InterOpNumThreads { get; set; }

    /// <summary>The CUDA device used when the execution provider is CUDA; 0 by default.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>How much ONNX Runtime optimises the graph when the session opens; <see cref="OnnxGraphOptimizationLevel.All"/> by default.</summary>
    public OnnxGraphOptimizationLevel GraphOptimizationLevel { get; set; } = OnnxGraphOptimizationLevel.All;

    /// <summary>Throws when a setting is out of range, naming the setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, $"{nameof(ExecutionProvider)} must be Auto, Cpu or Cuda.");
        }

        if (!Enum.IsDefined(GraphOptimizationLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(GraphOptimizationLevel), GraphOptimizationLevel, $"{nameof(GraphOptimizationLevel)} must be Disabled, Basic, Extended or All.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpNumThreads, nameof(IntraOpNumThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpNumThreads, nameof(InterOpNumThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(CudaDeviceId, nameof(CudaDeviceId));
    }
}
