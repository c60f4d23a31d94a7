namespace Tessera.Indexing.Mosaics;

/// <summary>The stages of a mosaic index build, in order.</summary>
public enum MosaicIndexStage
{
    /// <summary>Checking the inputs and whether a valid cached viewport exists.</summary>
    Validating = 0,

    /// <summary>Streaming the mosaic: writing <c>all_embeddings.npy</c> and collecting the sampled pixels.</summary>
    Scanning = 1,

    /// <summary>Training the index on a seeded subset of the samples.</summary>
    Training = 2,

    /// <summary>Adding every sampled pixel to the index, labelled with its linear pixel index.</summary>
    Adding = 3,

    /// <summary>Writing <c>embeddings.index</c> and <c>metadata.json</c> and moving the viewport into place.</summary>
    Saving = 4,

    /// <summary>Done: built, or found valid in the cache.</summary>
    Completed = 5,
}
