using System.Text.Json.Serialization;

namespace Tessera.Indexing.Mosaics;

/// <summary>How <c>all_embeddings.npy</c> stores the pixels (its NumPy dtype).</summary>
public enum MosaicEmbeddingsType
{
    /// <summary>
    /// float32 (<c>&lt;f4</c>): the vectors themselves (before optional normalisation). A Byte mosaic's
    /// values are divided by 255 (so in [0, 1]), Int8 tiles are dequantised, Float32 mosaics are kept as stored.
    /// </summary>
    [JsonStringEnumMemberName("float32")]
    Float32 = 0,

    /// <summary>
    /// uint8 (<c>|u1</c>), Byte mosaics only: the stored bytes unchanged, a quarter of the size; the
    /// vector is <c>value / 255</c> (<c>all_embeddings_scale</c> = 1/255).
    /// </summary>
    [JsonStringEnumMemberName("uint8")]
    UInt8 = 1,
}
