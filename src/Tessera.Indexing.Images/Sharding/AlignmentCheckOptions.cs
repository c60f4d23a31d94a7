using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>What <see cref="AlignmentChecker"/> checks.</summary>
public sealed record AlignmentCheckOptions
{
    /// <summary>The model name; <see langword="null"/> takes it from progress.json.</summary>
    public string? Model { get; init; }

    /// <summary>The types to check; <see langword="null"/> checks every type with a manifest.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Items per type re-embedded and searched (default 20; 0 skips the sample check).</summary>
    public int SampleSize { get; init; } = 20;

    /// <summary>The seed that picks the sample (default 0, so a check is repeatable).</summary>
    public int Seed { get; init; }

    /// <summary>The embedders to re-embed samples with, by type; types without one skip the sample check with a warning.</summary>
    public IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>>? Embedders { get; init; }

    /// <summary>Decodes sample images; <see langword="null"/> skips the sample check with a warning.</summary>
    public IImageDecoder? Decoder { get; init; }

    /// <summary>Decoding for samples; use what the build used (<see langword="null"/> asks the embedder).</summary>
    public ImageDecodeOptions? DecodeOptions { get; init; }

    /// <summary>How far from similarity 1 (distance 0) a sample may be (default 1e-3).</summary>
    public float Tolerance { get; init; } = 1e-3f;

    /// <summary>When given, every item of this source must be indexed exactly once or recorded as failed.</summary>
    public IItemSource? Items { get; init; }
}
