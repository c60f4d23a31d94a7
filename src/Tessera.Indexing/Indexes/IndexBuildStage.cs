namespace Tessera.Indexing.Indexes;

/// <summary>The steps of building an index, as reported through <see cref="IndexBuildProgress"/>.</summary>
public enum IndexBuildStage
{
    /// <summary>k-means of the IVF coarse quantizer (one report per iteration).</summary>
    CoarseQuantizer = 0,

    /// <summary>Assigning the PQ training vectors to coarse centroids and taking residuals.</summary>
    Residuals = 1,

    /// <summary>k-means of the product quantizer's sub-spaces (one report per finished sub-space).</summary>
    ProductQuantizer = 2,

    /// <summary>Coarse assignment and PQ encoding of added vectors.</summary>
    Encoding = 3,

    /// <summary>Appending encoded vectors to the inverted lists.</summary>
    ListFilling = 4,

    /// <summary>Training done by FAISS itself (all of its steps in one).</summary>
    NativeTraining = 5,

    /// <summary>Adding done by FAISS itself (encoding and list filling in one).</summary>
    NativeAdding = 6,
}
