namespace Tessera.Indexing.Storage;

/// <summary>Opens a store location with the registered <see cref="IShardStoreFactory"/>s.</summary>
public static class ShardStores
{
    /// <summary>Opens <paramref name="location"/> with the first factory that understands it.</summary>
    /// <param name="factories">The registered factories, in registration order.</param>
    /// <param name="location">A folder, <c>file://</c> URI, <c>supabase://bucket/prefix</c>, …</param>
    /// <returns>The store.</returns>
    /// <exception cref="NotSupportedException">No factory understands the location (the message lists the factories).</exception>
    public static IShardStore Open(IEnumerable<IShardStoreFactory> factories, string location)
    {
        ArgumentNullException.ThrowIfNull(factories);
        ArgumentException.ThrowIfNullOrEmpty(location);
        var tried = new List<string>();
        foreach (var factory in factories)
        {
            if (factory.CanOpen(location))
            {
                return factory.Open(location);
            }

            tried.Add(factory.GetType().Name);
        }

        throw new NotSupportedException(
            $"No shard store understands '{location}' (registered: {(tried.Count == 0 ? "none" : string.Join(", ", tried))}). "
            + "Local folders and file:// URIs need AddTesseraIndexing(); supabase:// needs AddSupabase() from Tessera.Indexing.Supabase.");
    }
}
