namespace Tessera.Indexing.Images.Sharding;

/// <summary>
/// The part of the id map that belongs to one shard (<c>{model}_{type}_shard_00001.ids.json</c>):
/// vector <c>i</c> of the shard has label <c>FirstLabel + i</c> and item id <c>Ids[i]</c>. Written
/// before the shard itself, so it may hold more ids than the shard has vectors after a crash; the
/// first <c>ntotal</c> count.
/// </summary>
public sealed record IdMapSegment
{
    /// <summary>The format version (<see cref="ShardStoreLayout.FormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = ShardStoreLayout.FormatVersion;

    /// <summary>The shard's object name.</summary>
    public required string Shard { get; init; }

    /// <summary>The label of the shard's first vector.</summary>
    public required long FirstLabel { get; init; }

    /// <summary>Item ids, one per vector, in vector order.</summary>
    public required IReadOnlyList<string> Ids { get; init; }

    /// <summary>Each item's brand (<see langword="null"/> when unknown), parallel to <see cref="Ids"/>.</summary>
    public IReadOnlyList<string?>? Brands { get; init; }

    /// <summary>Each item's image location, parallel to <see cref="Ids"/> (used to re-embed samples when checking alignment).</summary>
    public IReadOnlyList<string>? Images { get; init; }
}
