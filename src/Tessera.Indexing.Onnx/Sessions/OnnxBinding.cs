using Microsoft.ML.OnnxRuntime;
using Tessera.Indexing.Onnx.Runtime;

namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>
/// A model's inputs and outputs bound once to tensor buffers (ONNX Runtime's I/O binding), to run many times: a run
/// allocates nothing and copies nothing on the CPU (ONNX Runtime reads the input buffers and writes the output buffers
/// in place; with CUDA it copies them to and from the device). When a buffer's shape changes, the next run binds it
/// again. Made by <see cref="OnnxModel.CreateBinding"/>; one run at a time per binding (use one binding per thread).
/// </summary>
public sealed class OnnxBinding : IDisposable
{
    private readonly OnnxModel _model;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<Bound> _bound = [];
    private bool _disposed;

    internal OnnxBinding(OnnxModel model)
    {
        _model = model;
        try
        {
            _binding = model.Session.CreateIoBinding();
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            _runOptions.Dispose();
            throw OnnxRuntimeErrors.Wrap(e, "CreateIoBinding");
        }
    }

    /// <summary>Binds the model input <paramref name="name"/> to <paramref name="buffer"/>, replacing an earlier binding of that name.</summary>
    /// <param name="name">The input name.</param>
    /// <param name="buffer">The buffer ONNX Runtime reads the input from.</param>
    /// <exception cref="ArgumentException">The model has no such input, or the buffer's element type is not the input's.</exception>
    public void BindInput(string name, OnnxTensorBuffer buffer) => Bind(name, buffer, input: true);

    /// <summary>Binds the model output <paramref name="name"/> to <paramref name="buffer"/>, whose shape must be the one the model produces.</summary>
    /// <param name="name">The output name.</param>
    /// <param name="buffer">The buffer ONNX Runtime writes the output into.</param>
    /// <exception cref="ArgumentException">The model has no such output, or the buffer's element type is not the output's.</exception>
    public void BindOutput(string name, OnnxTensorBuffer buffer) => Bind(name, buffer, input: false);

    /// <summary>Runs the model on the bound buffers.</summary>
    /// <param name="cancellationToken">Stops the run, also from inside the model.</param>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs (for example a wrong shape) or failed.</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < _bound.Count; i++)
        {
            var bound = _bound[i];
            if (bound.Version != bound.Buffer.Version)
            {
                Attach(bound);
            }
        }

        _model.RunWithBinding(_binding, _runOptions, cancellationToken);
    }

    /// <summary>Releases the binding (not the buffers).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
    }

    private void Bind(string name, OnnxTensorBuffer buffer, bool input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(buffer);
        var info = input ? _model.GetInput(name) : _model.GetOutput(name);
        OnnxModel.CheckElementType(info, buffer, input ? "input" : "output");
        for (var i = 0; i < _bound.Count; i++)
        {
            if (_bound[i].Input == input && _bound[i].Name == info.Name)
            {
                _bound[i] = new Bound(info.Name, buffer, input);
                return;
            }
        }

        _bound.Add(new Bound(info.Name, buffer, input));
    }

    private void Attach(Bound bound)
    {
        var value = bound.Buffer.GetOrCreateValue();
        try
        {
            if (bound.Input)
            {
                _binding.BindInput(bound.Name, value);
            }
            else
            {
                _binding.BindOutput(bound.Name, value);
            }
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw OnnxRuntimeErrors.Wrap(e, bound.Input ? "BindInput" : "BindOutput");
        }

        bound.Version = bound.Buffer.Version;
    }

    /// <summary>One bound name and the buffer version last given to ONNX Runtime (-1: not yet).</summary>
    private sealed class Bound(string name, OnnxTensorBuffer buffer, bool input)
    {
        public string Name { get; } = name;

        public OnnxTensorBuffer Buffer { get; } = buffer;

        public bool Input { get; } = input;

        public int Version { get; set; } = -1;
    }
}
