using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Onnx.Preprocessing;
using Tessera.Indexing.Onnx.Sessions;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Onnx.Embeddings;

/// <summary>
/// Embeds images with an ONNX image encoder (for example CLIP's visual tower) through ONNX Runtime. Each image is
/// preprocessed the CLIP way (resize shortest side, centre crop, [0, 1], mean/std, NCHW float32), images are sent to
/// the model in batches of <see cref="OnnxImageEmbedderOptions.BatchSize"/>, and each embedding is L2-normalised
/// (divided by <c>max(‖v‖, 1e-12)</c>). One embedding per input, in input order. Thread-safe: concurrent calls run
/// concurrently, each with its own pinned input and output buffers bound to the model (ONNX Runtime's I/O binding),
/// which are kept and reused by later calls.
/// </summary>
public sealed class OnnxImageEmbedder : IEmbeddingGenerator<RgbImage, Embedding<float>>
{
    /// <summary>The provider name reported in <see cref="EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "onnxruntime";

    private readonly OnnxModel _model;
    private readonly bool _ownsModel;
    private readonly ClipPreprocessor _preprocessor;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly long[] _outputTrailingDimensions;
    private readonly int? _fixedBatch;
    private readonly int _batchSize;
    private readonly string _modelId;
    private readonly int? _declaredDimensions;
    private readonly ConcurrentBag<BatchBuffers> _buffers = [];
    private EmbeddingGeneratorMetadata _metadata;
    private int _dimensions; // 0 until known
    private bool _disposed;

    /// <summary>Opens the model at <see cref="OnnxImageEmbedderOptions.ModelPath"/> and owns it.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="logger">Receives the CUDA fallback warning, if any.</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime could not open the model.</exception>
    /// <exception cref="InvalidOperationException">The model's input or output does not fit an image encoder.</exception>
    public OnnxImageEmbedder(OnnxImageEmbedderOptions options, ILogger<OnnxImageEmbedder>? logger = null)
        : this(LoadModel(options, logger), options, ownsModel: true)
    {
    }

    /// <summary>Embeds with an already opened <paramref name="model"/>, which the caller keeps owning.</summary>
    /// <param name="model">The image encoder.</param>
    /// <param name="options">The settings (<see cref="OnnxImageEmbedderOptions.ModelPath"/> and <see cref="OnnxImageEmbedderOptions.Session"/> are not used).</param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The model's input or output does not fit an image encoder.</exception>
    public OnnxImageEmbedder(OnnxModel model, OnnxImageEmbedderOptions options)
        : this(model, options, ownsModel: false)
    {
    }

    private OnnxImageEmbedder(OnnxModel model, OnnxImageEmbedderOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _ownsModel = ownsModel;
        try
        {
            ThrowIfInvalid(options, requireModelFile: false);
            var size = options.ImageSize;
            _preprocessor = new ClipPreprocessor(options.ResizeShortestSide ?? size, size, options.Mean, options.Std, options.ResizeFilter);
            var input = options.InputName is null ? FirstOrThrow(model.Inputs, "input") : model.GetInput(options.InputName);
            var output = options.OutputName is null ? FirstOrThrow(model.Outputs, "output") : model.GetOutput(options.OutputName);
            CheckInput(input, size);
            CheckOutput(output);
            _inputName = input.Name;
            _outputName = output.Name;
            _fixedBatch = input.Dimensions[0] > 0 ? (int)input.Dimensions[0] : null;
            _batchSize = _fixedBatch ?? options.BatchSize;
            _outputTrailingDimensions = new long[output.Rank - 1];
            long dimensions = 1;
            for (var i = 1; i < output.Rank; i++)
            {
                _outputTrailingDimensions[i - 1] = output.Dimensions[i];
                dimensions = output.Dimensions[i] < 0 || dimensions < 0 ? -1 : dimensions * output.Dimensions[i];
            }

            _declaredDimensions = dimensions > 0 ? checked((int)dimensions) : null;
            _dimensions = _declaredDimensions ?? 0;
            _modelId = options.ModelId
                ?? (string.IsNullOrEmpty(options.ModelPath) ? "onnx-image-encoder" : Path.GetFileNameWithoutExtension(options.ModelPath));
            _metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, _modelId, _declaredDimensions);
        }
        catch
        {
            if (ownsModel)
            {
                model.Dispose();
            }

            throw;
        }
    }

    /// <summary>The embedding length, once known (from the model's output shape, or after the first call when that shape is open).</summary>
    public int? Dimensions => Volatile.Read(ref _dimensions) is > 0 and var known ? known : null;

    /// <summary>The model id reported in metadata and on each embedding.</summary>
    public string ModelId => _modelId;

    /// <summary>The execution provider the model runs on.</summary>
    public ExecutionProvider ExecutionProvider => _model.ExecutionProvider;

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<RgbImage> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (options?.Dimensions is { } requested && Dimensions is { } actual && requested != actual)
        {
            throw new ArgumentException($"The model produces {actual}-dimensional embeddings; {requested} were requested.", nameof(options));
        }

        var images = values as IReadOnlyList<RgbImage> ?? [.. values];
        var result = new GeneratedEmbeddings<Embedding<float>>(images.Count);
        if (images.Count == 0)
        {
            return Task.FromResult(result);
        }

        var buffers = RentBuffers();
        try
        {
            var createdAt = DateTimeOffset.UtcNow;
            var perImage = _preprocessor.OutputLength;
            var crop = _preprocessor.CropSize;
            for (var start = 0; start < images.Count; start += _batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(_batchSize, images.Count - start);
                var batch = _fixedBatch ?? count;
                buffers.Input.SetShape(batch, 3, crop, crop);
                var pixels = buffers.Input.Span;
                for (var i = 0; i < count; i++)
                {
                    var image = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(values));
                    _preprocessor.Process(image, pixels.Slice(i * perImage, perImage));
                }

                pixels[(count * perImage)..].Clear();
                ReadOnlySpan<float> embeddings;
                int dimensions;
                if (_declaredDimensions is { } known)
                {
                    buffers.SetOutputShape(batch, _outputTrailingDimensions);
                    buffers.Binding!.Run(cancellationToken);
                    embeddings = buffers.Output!.Span;
                    dimensions = known;
                }
                else
                {
                    var output = _model.RunAndCopyOutputs([new(_inputName, buffers.Input)], [_outputName], cancellationToken)[0];
                    embeddings = output.GetData<float>();
                    dimensions = embeddings.Length / batch;
                    LearnDimensions(dimensions);
                }

                for (var i = 0; i < count; i++)
                {
                    var vector = embeddings.Slice(i * dimensions, dimensions).ToArray();
                    EmbeddingKernels.NormalizeL2(vector);
                    result.Add(new Embedding<float>(vector) { ModelId = _modelId, CreatedAt = createdAt });
                }
            }
        }
        finally
        {
            ReturnBuffers(buffers);
        }

        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType == typeof(OnnxModel) ? _model
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Releases the pooled buffers and, when this embedder opened it, the model.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_buffers.TryTake(out var buffers))
        {
            buffers.Dispose();
        }

        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private static OnnxModel LoadModel(OnnxImageEmbedderOptions options, ILogger<OnnxImageEmbedder>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options, requireModelFile: true);
        return OnnxModel.Load(options.ModelPath, options.Session, logger ?? (ILogger)NullLogger.Instance);
    }

    private static void ThrowIfInvalid(OnnxImageEmbedderOptions options, bool requireModelFile)
    {
        var errors = options.Validate(requireModelFile);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
    }

    private static OnnxTensorInfo FirstOrThrow(IReadOnlyList<OnnxTensorInfo> infos, string kind) =>
        infos.Count > 0 ? infos[0] : throw new InvalidOperationException($"The model has no {kind}.");

    private static void CheckInput(OnnxTensorInfo input, int size)
    {
        var fits = input.ElementType == OnnxElementType.Float
            && input.Rank == 4
            && input.Dimensions[1] is 3 or -1
            && (input.Dimensions[2] == size || input.Dimensions[2] < 0)
            && (input.Dimensions[3] == size || input.Dimensions[3] < 0);
        if (!fits)
        {
            throw new InvalidOperationException(
                $"The model's input '{input.Name}' is {input.ElementType} {input.FormatShape()}; an image encoder with ImageSize = {size} needs Float [batch, 3, {size}, {size}].");
        }
    }

    private static void CheckOutput(OnnxTensorInfo output)
    {
        if (output.ElementType != OnnxElementType.Float || output.Rank < 2)
        {
            throw new InvalidOperationException(
                $"The model's output '{output.Name}' is {output.ElementType} {output.FormatShape()}; embeddings must be Float [batch, dimensions].");
        }
    }

    private void LearnDimensions(int dimensions)
    {
        if (Interlocked.CompareExchange(ref _dimensions, dimensions, 0) == 0)
        {
            _metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, _modelId, dimensions);
        }
    }

    private BatchBuffers RentBuffers()
    {
        if (_buffers.TryTake(out var buffers))
        {
            return buffers;
        }

        var inputCapacity = checked(_batchSize * _preprocessor.OutputLength);
        var outputCapacity = _declaredDimensions is { } d ? checked(_batchSize * d) : 0;
        return new BatchBuffers(_model, _inputName, _outputName, inputCapacity, outputCapacity);
    }

    private void ReturnBuffers(BatchBuffers buffers)
    {
        if (_disposed)
        {
            buffers.Dispose();
        }
        else
        {
            _buffers.Add(buffers);
        }
    }

    /// <summary>
    /// The pinned input and output tensors of one in-flight call, bound once to the model (I/O binding) when the output
    /// size is known, so a batch allocates no tensor and copies nothing on its way into and out of ONNX Runtime.
    /// </summary>
    private sealed class BatchBuffers : IDisposable
    {
        public BatchBuffers(OnnxModel model, string inputName, string outputName, int inputCapacity, int outputCapacity)
        {
            Input = new OnnxTensorBuffer<float>(inputCapacity);
            if (outputCapacity > 0)
            {
                Output = new OnnxTensorBuffer<float>(outputCapacity);
                Binding = model.CreateBinding();
                Binding.BindInput(inputName, Input);
                Binding.BindOutput(outputName, Output);
            }
        }

        public OnnxTensorBuffer<float> Input { get; }

        public OnnxTensorBuffer<float>? Output { get; }

        public OnnxBinding? Binding { get; }

        public void SetOutputShape(int batch, long[] trailing)
        {
            Span<long> shape = stackalloc long[trailing.Length + 1];
            shape[0] = batch;
            trailing.CopyTo(shape[1..]);
            Output!.SetShape(shape);
        }

        public void Dispose()
        {
            Binding?.Dispose();
            Input.Dispose();
            Output?.Dispose();
        }
    }
}
