namespace Tessera.Indexing.Storage;

/// <summary>How <see cref="IShardStore.PutAsync"/> stores an object.</summary>
public sealed record ShardPutOptions
{
    /// <summary>The MIME type; <see langword="null"/> lets the store choose.</summary>
    public string? ContentType { get; init; }

    /// <summary>Whether an existing object of the same name is replaced (default <see langword="true"/>).</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>
    /// Whether the object changes over time (progress, id maps, manifests): stores with caches must
    /// not serve it stale. Immutable objects (shards) may be cached freely.
    /// </summary>
    public bool Mutable { get; init; }

    /// <summary>User metadata stored with the object (for example a SHA-256).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
