using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Images.Embeddings;

/// <summary>How <see cref="ColorHistogramEmbedder"/> counts colours.</summary>
public sealed record ColorHistogramOptions
{
    /// <summary>Bins per colour channel: 2, 4, 8 (default) or 16; the embedding has <c>bins³</c> dimensions (512 for 8).</summary>
    public int BinsPerChannel { get; init; } = 8;

    /// <summary>
    /// Whether bin fractions are square-rooted before normalisation (default <see langword="true"/>), so
    /// the inner product of two embeddings is the Bhattacharyya coefficient of their colour
    /// distributions rather than being dominated by one large background bin.
    /// </summary>
    public bool SquareRoot { get; init; } = true;

    /// <summary>
    /// The decoding the embedder prefers (returned from <c>GetService(typeof(ImageDecodeOptions))</c>):
    /// shortest side 256, no crop; colour histograms need no more pixels than that.
    /// </summary>
    public ImageDecodeOptions DecodeOptions { get; init; } = new() { ShortestSide = 256 };

    /// <summary>The model id reported in embeddings and metadata (default <c>color-histogram-{bins}</c>).</summary>
    public string? ModelId { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BinsPerChannel"/> is not 2, 4, 8 or 16.</exception>
    public void Validate()
    {
        if (BinsPerChannel is not (2 or 4 or 8 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(BinsPerChannel), BinsPerChannel, "BinsPerChannel must be 2, 4, 8 or 16.");
        }
    }
}
