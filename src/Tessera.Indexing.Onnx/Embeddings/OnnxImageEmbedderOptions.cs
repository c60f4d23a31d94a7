using Tessera.Indexing.Onnx.Sessions;

namespace Tessera.Indexing.Onnx.Embeddings;

/// <summary>
/// Settings of an <see cref="OnnxImageEmbedder"/>: the model, which input and output to use, the CLIP-style
/// preprocessing and batching. The defaults are CLIP ViT-B/32's preprocessing (224 × 224, OpenAI's mean and std).
/// </summary>
public sealed record OnnxImageEmbedderOptions
{
    /// <summary>CLIP's per-channel mean (R, G, B) on the [0, 1] scale.</summary>
    public static IReadOnlyList<float> ClipMean { get; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>CLIP's per-channel standard deviation (R, G, B) on the [0, 1] scale.</summary>
    public static IReadOnlyList<float> ClipStd { get; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>The <c>.onnx</c> file of the image encoder (for example a CLIP visual tower exported to ONNX).</summary>
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>The model id reported in metadata and on each embedding; defaults to the model file's name without extension.</summary>
    public string? ModelId { get; set; }

    /// <summary>The model input that takes the images (<c>[batch, 3, size, size]</c> floats); defaults to the model's first input.</summary>
    public string? InputName { get; set; }

    /// <summary>The model output holding the embeddings (<c>[batch, dimensions]</c> floats); defaults to the model's first output.</summary>
    public string? OutputName { get; set; }

    /// <summary>The side of the square, centre-cropped image the model sees; 224 by default.</summary>
    public int ImageSize { get; set; } = 224;

    /// <summary>The length of the shortest side after resizing, before the centre crop; defaults to <see cref="ImageSize"/>.</summary>
    public int? ResizeShortestSide { get; set; }

    /// <summary>
    /// The filter that resizes images before the crop; <see cref="ImageResizeFilter.Bilinear"/> by default. OpenAI's CLIP
    /// preprocessing resizes with <see cref="ImageResizeFilter.Bicubic"/>; choose it to match embeddings made in Python.
    /// </summary>
    public ImageResizeFilter ResizeFilter { get; set; } = ImageResizeFilter.Bilinear;

    /// <summary>Per-channel mean (R, G, B) subtracted from pixels scaled to [0, 1]; CLIP's by default.</summary>
    public float[] Mean { get; set; } = [.. ClipMean];

    /// <summary>Per-channel standard deviation (R, G, B) the pixels are divided by; CLIP's by default.</summary>
    public float[] Std { get; set; } = [.. ClipStd];

    /// <summary>The most images sent to the model in one run; 32 by default.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Execution provider and threading of the ONNX Runtime session.</summary>
    public OnnxSessionOptions Session { get; set; } = new();

    /// <summary>Every problem with these settings, each naming the setting; empty when they are valid.</summary>
    /// <param name="requireModelFile">Whether <see cref="ModelPath"/> must name an existing file.</param>
    /// <returns>The problems found.</returns>
    public IReadOnlyList<string> Validate(bool requireModelFile = true)
    {
        var errors = new List<string>();
        const string Prefix = nameof(OnnxImageEmbedderOptions) + ".";
        if (requireModelFile)
        {
            if (string.IsNullOrWhiteSpace(ModelPath))
            {
                errors.Add($"{Prefix}{nameof(ModelPath)} is required: the .onnx file of the image encoder.");
            }
            else if (!File.Exists(ModelPath))
            {
                errors.Add($"{Prefix}{nameof(ModelPath)}: the model file '{Path.GetFullPath(ModelPath)}' does not exist.");
            }
        }

        if (ImageSize < 1)
        {
            errors.Add($"{Prefix}{nameof(ImageSize)} must be positive (was {ImageSize}).");
        }

        if (ResizeShortestSide is { } shortest && shortest < ImageSize)
        {
            errors.Add($"{Prefix}{nameof(ResizeShortestSide)} ({shortest}) must be at least {nameof(ImageSize)} ({ImageSize}) so the centre crop fits.");
        }

        if (!Enum.IsDefined(ResizeFilter))
        {
            errors.Add($"{Prefix}{nameof(ResizeFilter)} must be Bilinear or Bicubic (was {ResizeFilter}).");
        }

        if (BatchSize < 1)
        {
            errors.Add($"{Prefix}{nameof(BatchSize)} must be positive (was {BatchSize}).");
        }

        if (Mean is not { Length: 3 })
        {
            errors.Add($"{Prefix}{nameof(Mean)} needs exactly three values (R, G, B).");
        }

        if (Std is not { Length: 3 })
        {
            errors.Add($"{Prefix}{nameof(Std)} needs exactly three values (R, G, B).");
        }
        else if (!(Std[0] > 0 && Std[1] > 0 && Std[2] > 0))
        {
            errors.Add($"{Prefix}{nameof(Std)} values must all be positive.");
        }

        if (Session is null)
        {
            errors.Add($"{Prefix}{nameof(Session)} is required.");
        }
        else
        {
            try
            {
                Session.Validate();
            }
            catch (ArgumentOutOfRangeException ex)
            {
                errors.Add($"{Prefix}{nameof(Session)}.{ex.ParamName}: {ex.Message}");
            }
        }

        return errors;
    }
}
