namespace Tessera.Indexing.Images.Sharding;

/// <summary>A store was built with another model than the one this application embeds with, so its vectors and the queries' cannot be compared.</summary>
public sealed class ImageModelMismatchException : TesseraException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="store">The store's location.</param>
    /// <param name="storeModel">The model the store was built with.</param>
    /// <param name="expectedModel">The model this application embeds with (<see cref="ShardedIndexOptions.ModelName"/>).</param>
    public ImageModelMismatchException(string store, string storeModel, string expectedModel)
        : base($"{store} was built with the model '{storeModel}'; this application embeds with '{expectedModel}' (ShardedIndexOptions.ModelName). Search it with the embedders it was built with.")
    {
        StoreModel = storeModel;
        ExpectedModel = expectedModel;
    }

    /// <summary>The model the store was built with.</summary>
    public string StoreModel { get; }

    /// <summary>The model this application embeds with.</summary>
    public string ExpectedModel { get; }

    /// <inheritdoc />
    /// <remarks>Always <c>ModelMismatch</c>.</remarks>
    public override string ErrorKind => "ModelMismatch";
}
