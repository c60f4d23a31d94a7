using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>
/// An ONNX model opened in ONNX Runtime (one <see cref="InferenceSession"/>) on the CPU or CUDA. Inputs and outputs are
/// passed by name in <see cref="OnnxTensorBuffer"/>s over pinned memory, either per call
/// (<see cref="Run(ReadOnlySpan{OnnxNamedBuffer}, ReadOnlySpan{OnnxNamedBuffer}, CancellationToken)"/>) or bound once
/// (<see cref="CreateBinding"/>). Runs may be made from several threads at once (each with its own buffers).
/// </summary>
public sealed partial class OnnxModel : IDisposable
{
    private const string AppendCuda = "AppendExecutionProvider_CUDA";

    private readonly InferenceSession _session;
    private readonly OnnxTensorInfo[] _inputs;
    private readonly OnnxTensorInfo[] _outputs;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;

    // Shared by runs that cannot be cancelled: never terminated, only read by ONNX Runtime.
    private readonly RunOptions _uncancellableRunOptions = new();

    private OnnxModel(InferenceSession session, ExecutionProvider executionProvider)
    {
        _session = session;
        ExecutionProvider = executionProvider;
        _inputs = Describe(session.InputNames, session.InputMetadata);
        _outputs = Describe(session.OutputNames, session.OutputMetadata);
        _inputIndex = Index(_inputs);
        _outputIndex = Index(_outputs);
    }

    /// <summary>The model's inputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs => _inputs;

    /// <summary>The model's outputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs => _outputs;

    /// <summary>The execution provider the session runs on (<see cref="ExecutionProvider.Cpu"/> or <see cref="ExecutionProvider.Cuda"/>).</summary>
    public ExecutionProvider ExecutionProvider { get; }

    /// <summary>ONNX Runtime's session, for what this type does not wrap. It belongs to this model: do not dispose it.</summary>
    public InferenceSession Session => _session;

    /// <summary>Opens the ONNX model file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Execution provider, threading and graph optimisation; defaults to <see cref="ExecutionProvider.Auto"/>.</param>
    /// <param name="logger">Receives the warning when <see cref="ExecutionProvider.Auto"/> falls back to the CPU.</param>
    /// <returns>The opened model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range; the parameter name names it.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model (its message says why), or <see cref="ExecutionProvider.Cuda"/> was asked for and is unavailable.</exception>
    /// <exception cref="DllNotFoundException">The application references no ONNX Runtime native package.</exception>
    public static OnnxModel Load(string path, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        return Open(sessionOptions => new InferenceSession(fullPath, sessionOptions), options, logger);
    }

    /// <summary>Opens an ONNX model from its serialised bytes.</summary>
    /// <param name="model">The model (an ONNX <c>ModelProto</c>).</param>
    /// <param name="options">Execution provider, threading and graph optimisation; defaults to <see cref="ExecutionProvider.Auto"/>.</param>
    /// <param name="logger">Receives the warning when <see cref="ExecutionProvider.Auto"/> falls back to the CPU.</param>
    /// <returns>The opened model.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not load the model, or <see cref="ExecutionProvider.Cuda"/> is unavailable.</exception>
    /// <exception cref="DllNotFoundException">The application references no ONNX Runtime native package.</exception>
    public static OnnxModel Load(ReadOnlyMemory<byte> model, OnnxSessionOptions? options = null, ILogger? logger = null)
    {
        var bytes = MemoryMarshal.TryGetArray(model, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : model.ToArray();
        return Open(sessionOptions => new InferenceSession(bytes, sessionOptions), options, logger);
    }

    /// <summary>The input named <paramref name="name"/>.</summary>
    /// <param name="name">The input name.</param>
    /// <returns>Its description.</returns>
    /// <exception cref="ArgumentException">The model has no such input.</exception>
    public OnnxTensorInfo GetInput(string name) => _inputs[IndexOf(_inputIndex, name, "input", nameof(name))];

    /// <summary>The output named <paramref name="name"/>.</summary>
    /// <param name="name">The output name.</param>
    /// <returns>Its description.</returns>
    /// <exception cref="ArgumentException">The model has no such output.</exception>
    public OnnxTensorInfo GetOutput(string name) => _outputs[IndexOf(_outputIndex, name, "output", nameof(name))];

    /// <summary>Creates an I/O binding: buffers bound once by name, then run any number of times without allocating.</summary>
    /// <returns>The binding; dispose it before the model.</returns>
    public OnnxBinding CreateBinding() => new(this);

    /// <summary>
    /// Runs the model, writing each requested output into its buffer (whose shape must be the one the model produces).
    /// The tensors are not copied; a call allocates a few small arrays for the names (use <see cref="CreateBinding"/> in
    /// a loop that should allocate nothing).
    /// </summary>
    /// <param name="inputs">Input buffers by input name.</param>
    /// <param name="outputs">Output buffers by output name.</param>
    /// <param name="cancellationToken">Stops the run, also from inside the model.</param>
    /// <exception cref="ArgumentException">An input or output name is unknown, or a buffer's element type is not the model's.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs (for example a wrong shape) or failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public void Run(ReadOnlySpan<OnnxNamedBuffer> inputs, ReadOnlySpan<OnnxNamedBuffer> outputs, CancellationToken cancellationToken = default)
    {
        var (inputNames, inputValues) = Resolve(inputs, input: true);
        var (outputNames, outputValues) = Resolve(outputs, input: false);
        RunCore(cancellationToken, runOptions => _session.Run(runOptions, inputNames, inputValues, outputNames, outputValues));
    }

    /// <summary>Runs the model and copies the named outputs, allocated by ONNX Runtime, into managed memory.</summary>
    /// <param name="inputs">Input buffers by input name.</param>
    /// <param name="outputNames">The outputs to return, in this order.</param>
    /// <param name="cancellationToken">Stops the run, also from inside the model.</param>
    /// <returns>One tensor per requested output.</returns>
    /// <exception cref="ArgumentException">An input or output name is unknown, or a buffer's element type is not the model's.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs or failed.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public OnnxOutputTensor[] RunAndCopyOutputs(ReadOnlySpan<OnnxNamedBuffer> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        var names = new string[outputNames.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = _outputs[IndexOf(_outputIndex, outputNames[i], "output", nameof(outputNames))].Name;
        }

        var (inputNames, inputValues) = Resolve(inputs, input: true);
        OnnxOutputTensor[] result = [];
        RunCore(cancellationToken, runOptions =>
        {
            using var values = _session.Run(runOptions, inputNames, inputValues, names);
            result = new OnnxOutputTensor[names.Length];
            var i = 0;
            foreach (var value in values)
            {
                result[i] = Copy(names[i], value);
                i++;
            }
        });
        return result;
    }

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _uncancellableRunOptions.Dispose();
    }

    /// <summary>Runs <paramref name="binding"/> with <paramref name="runOptions"/>, which is reset after a cancellation.</summary>
    internal void RunWithBinding(OrtIoBinding binding, RunOptions runOptions, CancellationToken cancellationToken)
    {
        CancellationTokenRegistration registration = default;
        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, runOptions);
        }

        try
        {
            _session.RunWithBinding(runOptions, binding);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw Failure(e, cancellationToken);
        }
        finally
        {
            // Waits for a callback in progress, so the flag is not set again after the reset.
            registration.Dispose();
            if (runOptions.Terminate)
            {
                runOptions.Terminate = false;
            }
        }
    }

    /// <summary>Throws when the model's tensor and the buffer hold different element types.</summary>
    internal static void CheckElementType(OnnxTensorInfo info, OnnxTensorBuffer buffer, string kind)
    {
        if (info.ElementType != OnnxElementType.Undefined && info.ElementType != buffer.ElementType)
        {
            throw new ArgumentException($"The model's {kind} '{info.Name}' holds {info.ElementType} elements but the buffer holds {buffer.ElementType}.");
        }
    }

    private void RunCore(CancellationToken cancellationToken, Action<RunOptions> run)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled)
        {
            try
            {
                run(_uncancellableRunOptions);
                return;
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
            {
                throw Failure(e, cancellationToken);
            }
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.UnsafeRegister(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            run(runOptions);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw Failure(e, cancellationToken);
        }
    }

    private static Exception Failure(Microsoft.ML.OnnxRuntime.OnnxRuntimeException e, CancellationToken cancellationToken)
    {
        var wrapped = OnnxRuntimeErrors.Wrap(e, "Run");
        return cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("The ONNX Runtime run was cancelled.", wrapped, cancellationToken)
            : wrapped;
    }

    private (string[] Names, OrtValue[] Values) Resolve(ReadOnlySpan<OnnxNamedBuffer> buffers, bool input)
    {
        var kind = input ? "input" : "output";
        var parameter = input ? "inputs" : "outputs";
        var names = new string[buffers.Length];
        var values = new OrtValue[buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(buffers[i].Buffer, parameter);
            var info = input ? _inputs[IndexOf(_inputIndex, buffers[i].Name, kind, parameter)] : _outputs[IndexOf(_outputIndex, buffers[i].Name, kind, parameter)];
            CheckElementType(info, buffers[i].Buffer, kind);
            names[i] = info.Name;
            values[i] = buffers[i].Buffer.GetOrCreateValue();
        }

        return (names, values);
    }

    private static OnnxOutputTensor Copy(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new InvalidOperationException($"Output '{name}' is not a tensor ({value.OnnxType}); only tensors can be copied out.");
        }

        var info = value.GetTensorTypeAndShape();
        var elementType = (OnnxElementType)info.ElementDataType;
        if (OnnxElementTypes.SizeOf(elementType) == 0)
        {
            throw new NotSupportedException($"Output '{name}' holds {elementType} elements, which have no fixed size and cannot be copied out.");
        }

        return new OnnxOutputTensor(name, elementType, info.Shape, value.GetTensorMutableRawData().ToArray());
    }

    private static OnnxTensorInfo[] Describe(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var infos = new OnnxTensorInfo[names.Count];
        for (var i = 0; i < infos.Length; i++)
        {
            var node = metadata[names[i]];
            if (!node.IsTensor)
            {
                infos[i] = new OnnxTensorInfo(names[i], OnnxElementType.Undefined, [], []);
                continue;
            }

            var dimensions = new long[node.Dimensions.Length];
            for (var d = 0; d < dimensions.Length; d++)
            {
                dimensions[d] = node.Dimensions[d];
            }

            var symbolic = new string[dimensions.Length];
            for (var d = 0; d < symbolic.Length; d++)
            {
                symbolic[d] = d < node.SymbolicDimensions.Length ? node.SymbolicDimensions[d] ?? string.Empty : string.Empty;
            }

            infos[i] = new OnnxTensorInfo(names[i], (OnnxElementType)node.ElementDataType, dimensions, symbolic);
        }

        return infos;
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

        var known = kind == "input" ? _inputs : _outputs;
        var names = new string[known.Length];
        for (var k = 0; k < names.Length; k++)
        {
            names[k] = known[k].Name;
        }

        throw new ArgumentException($"The model has no {kind} named '{name}'; its {kind}s are: {string.Join(", ", names)}.", parameterName);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The CUDA execution provider is not available ({Reason}); running on the CPU instead.")]
    private static partial void LogCudaFallback(ILogger logger, string reason);
}
