namespace Tessera.Indexing.Storage;

/// <summary>
/// Opens a shard store from a location string, so a command line or configuration can name any
/// store: a folder path or <c>file://</c> URI (the local store), <c>supabase://bucket/prefix</c>
/// (Tessera.Indexing.Supabase), or a scheme of your own. Register implementations with
/// <c>TryAddEnumerable</c>; the first that <see cref="CanOpen"/> a location opens it.
/// </summary>
public interface IShardStoreFactory
{
    /// <summary>Whether this factory understands <paramref name="location"/>.</summary>
    /// <param name="location">A path or URI.</param>
    /// <returns><see langword="true"/> when <see cref="Open"/> would accept it.</returns>
    bool CanOpen(string location);

    /// <summary>Opens the store at <paramref name="location"/>.</summary>
    /// <param name="location">A path or URI this factory understands.</param>
    /// <returns>The store.</returns>
    IShardStore Open(string location);
}
