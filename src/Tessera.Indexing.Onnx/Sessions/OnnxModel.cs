using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Interop.OnnxRuntime;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>
/// An ONNX model opened in ONNX Runtime (one <c>OrtSession</c>). Inputs and outputs are passed by name in
/// <see cref="OnnxTensorBuffer"/>s over pinned memory. <see cref="Run(ReadOnlySpan{OnnxNamedBuffer}, ReadOnlySpan{OnnxNamedBuffer}, CancellationToken)"/>
/// may be called from several threads at once (each with its own buffers).
/// </summary>
public sealed partial class OnnxModel : IDisposable
{
    private readonly OrtSession _session;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;

    private OnnxModel(OrtSession session, ExecutionProvider executionProvider)
    {
        _session = session;
        ExecutionProvider = executionProvider;
        _inputIndex = Index(session.Inputs);
        _outputIndex = Index(session.Outputs);
    }

    /// <summary>The model's inputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs => _session.Inputs;

    /// <summary>The model's outputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs => _session.Outputs;

    /// <summary>The execution provider the session runs on (<see cref="ExecutionProvider.Cpu"/> or <see cref="ExecutionProvider.Cuda"/>).</summary>
    public ExecutionProvider ExecutionProvider { get; }

    /// <summary>Opens the ONNX model file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Execution provider and threading; defaults to <see cref="ExecutionProvider.Auto"/>.</param>
    /// <param name="logger">Receives the warning when <see cref="ExecutionProvider.Auto"/> falls back to the CPU.</param>
    /// <returns>The opened model.</returns>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model (its message says why), or <see cref="ExecutionProvider.Cuda"/> was asked for and is unavailable.</exception>
    public static OnnxModel Load(string path, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Open(sessionOptions => OrtSession.Create(fullPath, sessionOptions), options, logger);
    }

    /// <summary>Opens an ONNX model from its serialised bytes.</summary>
    /// <param name="model">The model (an ONNX <c>ModelProto</c>).</param>
    /// <param name="options">Execution provider and threading; defaults to <see cref="ExecutionProvider.Auto"/>.</param>
    /// <param name="logger">Receives the warning when <see cref="ExecutionProvider.Auto"/> falls back to the CPU.</param>
    /// <returns>The opened model.</returns>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model, or <see cref="ExecutionProvider.Cuda"/> is unavailable.</exception>
    public static OnnxModel Load(ReadOnlyMemory<byte> model, OnnxSessionOptions? options = null, ILogger? logger = null) =>
        Open(sessionOptions => OrtSession.Create(model.Span, sessionOptions), options, logger);

    /// <summary>The input named <paramref name="name"/>.</summary>
    /// <param name="name">The input name.</param>
    /// <returns>Its description.</returns>
    /// <exception cref="ArgumentException">The model has no such input.</exception>
    public OnnxTensorInfo GetInput(string name) => _session.Inputs[IndexOf(_inputIndex, name, "input", nameof(name))];

    /// <summary>The output named <paramref name="name"/>.</summary>
    /// <param name="name">The output name.</param>
    /// <returns>Its description.</returns>
    /// <exception cref="ArgumentException">The model has no such output.</exception>
    public OnnxTensorInfo GetOutput(string name) => _session.Outputs[IndexOf(_outputIndex, name, "output", nameof(name))];

    /// <summary>
    /// Runs the model, writing each requested output into its buffer (whose shape must be the one the model produces).
    /// Allocates nothing per call once the buffers' shapes are set.
    /// </summary>
    /// <param name="inputs">Input buffers by input name.</param>
    /// <param name="outputs">Output buffers by output name.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="ArgumentException">An input or output name is unknown, or a buffer's element type is not the model's.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs (for example a wrong shape) or failed.</exception>
    public void Run(ReadOnlySpan<OnnxNamedBuffer> inputs, ReadOnlySpan<OnnxNamedBuffer> outputs, CancellationToken cancellationToken = default)
    {
        var outputValues = ArrayPool<OrtValueHandle?>.Shared.Rent(outputs.Length);
        Span<int> outputIndices = outputs.Length <= 32 ? stackalloc int[outputs.Length] : new int[outputs.Length];
        try
        {
            for (var i = 0; i < outputs.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(outputs[i].Buffer, nameof(outputs));
                outputIndices[i] = IndexOf(_outputIndex, outputs[i].Name, "output", nameof(outputs));
                CheckElementType(_session.Outputs[outputIndices[i]], outputs[i].Buffer, "output");
                outputValues[i] = outputs[i].Buffer.GetOrCreateValue();
            }

            RunCore(inputs, outputIndices, outputValues.AsSpan(0, outputs.Length), cancellationToken);
        }
        finally
        {
            Array.Clear(outputValues, 0, outputs.Length);
            ArrayPool<OrtValueHandle?>.Shared.Return(outputValues);
        }
    }

    /// <summary>Runs the model and copies the named outputs, allocated by ONNX Runtime, into managed memory.</summary>
    /// <param name="inputs">Input buffers by input name.</param>
    /// <param name="outputNames">The outputs to return, in this order.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One tensor per requested output.</returns>
    /// <exception cref="ArgumentException">An input or output name is unknown, or a buffer's element type is not the model's.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs or failed.</exception>
    public OnnxOutputTensor[] RunAndCopyOutputs(ReadOnlySpan<OnnxNamedBuffer> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        var outputIndices = new int[outputNames.Count];
        for (var i = 0; i < outputIndices.Length; i++)
        {
            outputIndices[i] = IndexOf(_outputIndex, outputNames[i], "output", nameof(outputNames));
        }

        var outputValues = new OrtValueHandle?[outputIndices.Length];
        try
        {
            RunCore(inputs, outputIndices, outputValues, cancellationToken);
            var result = new OnnxOutputTensor[outputValues.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = OrtTensors.Read(outputNames[i], outputValues[i]!);
            }

            return result;
        }
        finally
        {
            foreach (var value in outputValues)
            {
                value?.Dispose();
            }
        }
    }

    /// <summary>Releases the session.</summary>
    public void Dispose() => _session.Dispose();

    private void RunCore(ReadOnlySpan<OnnxNamedBuffer> inputs, ReadOnlySpan<int> outputIndices, Span<OrtValueHandle?> outputValues, CancellationToken cancellationToken)
    {
        var inputValues = ArrayPool<OrtValueHandle>.Shared.Rent(inputs.Length);
        Span<int> inputIndices = inputs.Length <= 32 ? stackalloc int[inputs.Length] : new int[inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(inputs[i].Buffer, nameof(inputs));
                inputIndices[i] = IndexOf(_inputIndex, inputs[i].Name, "input", nameof(inputs));
                CheckElementType(_session.Inputs[inputIndices[i]], inputs[i].Buffer, "input");
                inputValues[i] = inputs[i].Buffer.GetOrCreateValue();
            }

            _session.Run(inputIndices, inputValues.AsSpan(0, inputs.Length), outputIndices, outputValues, cancellationToken);
        }
        finally
        {
            Array.Clear(inputValues, 0, inputs.Length);
            ArrayPool<OrtValueHandle>.Shared.Return(inputValues);
        }
    }

    private static OnnxModel Open(Func<OrtSessionOptionsHandle, OrtSession> create, OnnxSessionOptions? options, ILogger? logger)
    {
        options ??= new OnnxSessionOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        switch (options.ExecutionProvider)
        {
            case ExecutionProvider.Cpu:
                return new OnnxModel(CreateCpu(create, options), ExecutionProvider.Cpu);

            case ExecutionProvider.Cuda:
                using (var cudaOptions = OrtSession.CreateOptions(options.IntraOpNumThreads, options.InterOpNumThreads))
                {
                    try
                    {
                        OrtSession.AppendCuda(cudaOptions, options.CudaDeviceId);
                    }
                    catch (OnnxRuntimeException ex)
                    {
                        throw new OnnxRuntimeException(
                            ex.ErrorCode,
                            ex.Operation,
                            ex.NativeMessage,
                            $"The CUDA execution provider is not available ({ex.NativeMessage}). It needs ONNX Runtime's CUDA provider library, CUDA and cuDNN, and a CUDA device; use ExecutionProvider.Auto to fall back to the CPU, or ExecutionProvider.Cpu.");
                    }

                    return new OnnxModel(create(cudaOptions), ExecutionProvider.Cuda);
                }

            default:
                OnnxRuntimeException cudaFailure;
                try
                {
                    using var cudaOptions = OrtSession.CreateOptions(options.IntraOpNumThreads, options.InterOpNumThreads);
                    OrtSession.AppendCuda(cudaOptions, options.CudaDeviceId);
                    return new OnnxModel(create(cudaOptions), ExecutionProvider.Cuda);
                }
                catch (OnnxRuntimeException ex)
                {
                    cudaFailure = ex;
                }

                // A model that fails here fails for its own reasons: that error is the one to report.
                var session = CreateCpu(create, options);
                LogCudaFallback(logger, cudaFailure.NativeMessage);
                return new OnnxModel(session, ExecutionProvider.Cpu);
        }
    }

    private static OrtSession CreateCpu(Func<OrtSessionOptionsHandle, OrtSession> create, OnnxSessionOptions options)
    {
        using var cpuOptions = OrtSession.CreateOptions(options.IntraOpNumThreads, options.InterOpNumThreads);
        return create(cpuOptions);
    }

    private static Dictionary<string, int> Index(OnnxTensorInfo[] infos)
    {
        var index = new Dictionary<string, int>(infos.Length, StringComparer.Ordinal);
        for (var i = 0; i < infos.Length; i++)
        {
            index[infos[i].Name] = i;
        }

        return index;
    }

    private int IndexOf(Dictionary<string, int> index, string name, string kind, string parameterName)
    {
        if (name is not null && index.TryGetValue(name, out var i))
        {
            return i;
        }

        var known = kind == "input" ? _session.Inputs : _session.Outputs;
        var names = new string[known.Length];
        for (var k = 0; k < names.Length; k++)
        {
            names[k] = known[k].Name;
        }

        throw new ArgumentException($"The model has no {kind} named '{name}'; its {kind}s are: {string.Join(", ", names)}.", parameterName);
    }

    private static void CheckElementType(OnnxTensorInfo info, OnnxTensorBuffer buffer, string kind)
    {
        if (info.ElementType != OnnxElementType.Undefined && info.ElementType != buffer.ElementType)
        {
            throw new ArgumentException($"The model's {kind} '{info.Name}' holds {info.ElementType} elements but the buffer holds {buffer.ElementType}.");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The CUDA execution provider is not available ({Reason}); running on the CPU instead.")]
    private static partial void LogCudaFallback(ILogger logger, string reason);
}
