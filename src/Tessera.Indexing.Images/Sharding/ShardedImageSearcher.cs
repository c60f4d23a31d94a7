using Microsoft.Extensions.AI;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The image query path of a sharded index: decode the query image, embed it with the index type's
/// embedder, prepare it the way the build prepared the stored vectors (L2-normalised when the
/// manifest says they were), and search every shard. Registered by <c>AddShardedImageIndexing()</c>,
/// with the application's decoder, embedders, <see cref="ShardedIndexOptions.ModelName"/> and
/// <see cref="ShardedIndexOptions.IndexBuilder"/>.
/// </summary>
/// <remarks>Thread-safe. A store built with another model is refused with <see cref="ImageModelMismatchException"/>.</remarks>
public sealed class ShardedImageSearcher
{
    private readonly IImageDecoder _decoder;
    private readonly Func<string, IEmbeddingGenerator<RgbImage, Embedding<float>>?> _embedders;
    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly string _model;
    private readonly ImageDecodeOptions? _decodeOptions;

    /// <summary>Creates a searcher.</summary>
    /// <param name="decoder">Decodes query images.</param>
    /// <param name="embedders">The embedder of an index type, or <see langword="null"/> when none is registered.</param>
    /// <param name="indexBuilder">Reads the shards.</param>
    /// <param name="model">The model the embedders are (stores of other models are refused).</param>
    /// <param name="decodeOptions">Decoding of queries; <see langword="null"/> asks the embedder, as the build does.</param>
    public ShardedImageSearcher(
        IImageDecoder decoder,
        Func<string, IEmbeddingGenerator<RgbImage, Embedding<float>>?> embedders,
        IVectorIndexBuilder indexBuilder,
        string model,
        ImageDecodeOptions? decodeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(embedders);
        ArgumentNullException.ThrowIfNull(indexBuilder);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _decoder = decoder;
        _embedders = embedders;
        _indexBuilder = indexBuilder;
        _model = model;
        _decodeOptions = decodeOptions;
    }

    /// <summary>Loads the <paramref name="type"/> index of <paramref name="store"/> after checking that it was built with this searcher's model.</summary>
    /// <param name="store">The store (unpartitioned, merged, or one partition's namespace).</param>
    /// <param name="type">The index type.</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <returns>The index; dispose it when done.</returns>
    /// <exception cref="ImageModelMismatchException">The store was built with another model.</exception>
    /// <exception cref="ShardStoreException">The store holds no such index, or an object is missing or corrupt.</exception>
    public async Task<ShardedIndex> LoadIndexAsync(IShardStore store, string type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(type);
        var storeModel = await ShardedStoreReader.ResolveModelAsync(store, null, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(storeModel, _model, StringComparison.Ordinal))
        {
            throw new ImageModelMismatchException(store.Location, storeModel, _model);
        }

        return await ShardedIndex.LoadAsync(store, type, storeModel, _indexBuilder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <paramref name="k"/> items of <paramref name="index"/> most like the image at <paramref name="imageLocation"/>.</summary>
    /// <param name="index">An index loaded by <see cref="LoadIndexAsync"/>.</param>
    /// <param name="imageLocation">A path or URL the decoder reads.</param>
    /// <param name="k">Neighbours wanted.</param>
    /// <param name="cancellationToken">Cancels decoding and embedding.</param>
    /// <returns>Up to <paramref name="k"/> hits, best first.</returns>
    /// <exception cref="ImageDecodeException">The image cannot be read.</exception>
    /// <exception cref="InvalidOperationException">No embedder is registered for the index's type, or it embeds to another dimension.</exception>
    public async Task<IReadOnlyList<ItemSearchHit>> SearchAsync(ShardedIndex index, string imageLocation, int k, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrEmpty(imageLocation);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var embedder = _embedders(index.Type)
            ?? throw new InvalidOperationException($"No image embedder is registered for the index type '{index.Type}'.");
        var decodeOptions = _decodeOptions ?? embedder.GetService(typeof(ImageDecodeOptions)) as ImageDecodeOptions;
        var image = await _decoder.DecodeAsync(imageLocation, decodeOptions, cancellationToken).ConfigureAwait(false);
        var embeddings = await embedder.GenerateAsync([image], null, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != 1)
        {
            throw new InvalidOperationException($"The '{index.Type}' embedder returned {embeddings.Count} embeddings for one image.");
        }

        var embedding = embeddings[0].Vector.Span;
        if (embedding.Length != index.Dimension)
        {
            throw new InvalidOperationException($"The '{index.Type}' embedder produces {embedding.Length}-d vectors; the index is {index.Dimension}-d.");
        }

        return index.Search(index.PrepareQuery(embedding), k);
    }

    /// <summary>Loads the <paramref name="type"/> index of <paramref name="store"/> and searches it for the image at <paramref name="imageLocation"/>.</summary>
    /// <param name="store">The store.</param>
    /// <param name="type">The index type.</param>
    /// <param name="imageLocation">A path or URL the decoder reads.</param>
    /// <param name="k">Neighbours wanted.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The hits and what they were searched in.</returns>
    /// <exception cref="ImageModelMismatchException">The store was built with another model.</exception>
    /// <exception cref="ImageDecodeException">The image cannot be read.</exception>
    public async Task<ImageSearchResult> SearchAsync(IShardStore store, string type, string imageLocation, int k, CancellationToken cancellationToken = default)
    {
        using var index = await LoadIndexAsync(store, type, cancellationToken).ConfigureAwait(false);
        var hits = await SearchAsync(index, imageLocation, k, cancellationToken).ConfigureAwait(false);
        return new ImageSearchResult { Model = index.Model, Type = index.Type, Metric = index.Metric, Hits = hits };
    }
}
