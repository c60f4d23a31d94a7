namespace Tessera.Indexing.Storage;

/// <summary>
/// A flat store of named blobs with metadata: index shards, id maps, manifests and progress files.
/// Names use <c>/</c> as separator and are relative to the store's root (a folder, or a bucket and prefix).
/// Implementations are thread-safe.
/// </summary>
public interface IShardStore
{
    /// <summary>A short, secret-free description of where the store is (for logs), e.g. <c>file:///data/shards</c>.</summary>
    string Location { get; }

    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/>.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="content">Its bytes.</param>
    /// <param name="options">Content type, overwrite and caching behaviour, metadata.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The stored object's description.</returns>
    /// <exception cref="ShardStoreException">The store refused the object (exists and overwrite is off, too large, unauthorised).</exception>
    Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads an object.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>The object, or <see langword="null"/> when it does not exist.</returns>
    Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Describes an object without reading it.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its description, or <see langword="null"/> when it does not exist.</returns>
    Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Lists objects whose names start with <paramref name="prefix"/>, in name order.</summary>
    /// <param name="prefix">A name prefix; empty lists everything.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The objects (never folder entries).</returns>
    IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", CancellationToken cancellationToken = default);

    /// <summary>Deletes an object.</summary>
    /// <param name="name">The object's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it existed.</returns>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
