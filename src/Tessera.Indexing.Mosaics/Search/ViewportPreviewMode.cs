namespace Tessera.Indexing.Mosaics.Search;

/// <summary>How a viewport's embeddings are drawn as an RGB preview.</summary>
public enum ViewportPreviewMode
{
    /// <summary>Bands 1–3 as red, green and blue, each stretched between its 2nd and 98th percentile.</summary>
    Bands123,

    /// <summary>The first three principal components of the embeddings, each stretched between its 2nd and 98th percentile.</summary>
    Pca,
}
