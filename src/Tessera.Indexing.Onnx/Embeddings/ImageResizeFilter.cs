namespace Tessera.Indexing.Onnx.Embeddings;

/// <summary>The resampling filter used to resize images before the centre crop (Pillow's filters of the same names).</summary>
public enum ImageResizeFilter
{
    /// <summary>Bilinear (triangle filter; antialiased when reducing, as Pillow does). The default.</summary>
    Bilinear = 0,

    /// <summary>Bicubic (Keys, a = −0.5; antialiased when reducing), as OpenAI's CLIP preprocessing uses; results are clamped to [0, 255] after each pass, as Pillow does for 8-bit images.</summary>
    Bicubic = 1,
}
