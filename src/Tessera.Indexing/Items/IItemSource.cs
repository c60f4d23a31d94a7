namespace Tessera.Indexing.Items;

/// <summary>Where the items to index come from: a folder, a CSV or JSON-lines manifest, a database table.</summary>
public interface IItemSource
{
    /// <summary>A short, secret-free description of the source (for logs and progress).</summary>
    string Description { get; }

    /// <summary>Streams the items in a stable order (ascending ordinal id where the source can sort).</summary>
    /// <param name="afterId">Resume point: only items whose id sorts after it (ordinal) are returned; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The items.</returns>
    IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, CancellationToken cancellationToken = default);
}
