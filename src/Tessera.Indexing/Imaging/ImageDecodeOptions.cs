namespace Tessera.Indexing.Imaging;

/// <summary>
/// Resizing done while decoding (so a large photo is never held at full size): scale so the shorter
/// side is <see cref="ShortestSide"/>, then take a centred <see cref="CropWidth"/> x <see cref="CropHeight"/> window.
/// </summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Target length of the shorter side after scaling; <see langword="null"/> keeps the original size.</summary>
    public int? ShortestSide { get; init; }

    /// <summary>Width of the centre crop after scaling; <see langword="null"/> keeps the scaled width.</summary>
    public int? CropWidth { get; init; }

    /// <summary>Height of the centre crop after scaling; <see langword="null"/> keeps the scaled height.</summary>
    public int? CropHeight { get; init; }

    /// <summary>CLIP ViT-B/32's preprocessing geometry: shortest side 224, centre crop 224 x 224.</summary>
    public static ImageDecodeOptions Clip224 { get; } = new() { ShortestSide = 224, CropWidth = 224, CropHeight = 224 };
}
