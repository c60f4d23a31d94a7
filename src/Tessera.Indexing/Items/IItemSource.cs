namespace Tessera.Indexing.Items;

/// <summary>Where the items to index come from: a folder, a CSV or JSON-lines manifest, a database table.</summary>
public interface IItemSource
{
    /// <summary>A short, secret-free description of the source (for logs and progress).</summary>
    string Description { get; }

    /// <summary>Streams the items in a stable order that the source defines (for example ascending id).</summary>
    /// <param name="afterId">Resume hint: only items after this id in the source's order are returned; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The items.</returns>
    IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, CancellationToken cancellationToken = default);
}
