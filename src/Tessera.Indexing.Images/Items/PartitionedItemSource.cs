using System.Runtime.CompilerServices;
using Tessera.Indexing.Items;

namespace Tessera.Indexing.Images.Items;

/// <summary>The items of another source that fall into one <see cref="ItemPartition"/>.</summary>
public sealed class PartitionedItemSource : IItemSource
{
    private readonly IItemSource _inner;

    /// <summary>Filters <paramref name="inner"/> to <paramref name="partition"/>.</summary>
    /// <param name="inner">The whole collection.</param>
    /// <param name="partition">The slice to keep.</param>
    public PartitionedItemSource(IItemSource inner, ItemPartition partition)
    {
        ArgumentNullException.ThrowIfNull(inner);
        partition.Validate();
        _inner = inner;
        Partition = partition;
    }

    /// <summary>The slice kept.</summary>
    public ItemPartition Partition { get; }

    /// <inheritdoc />
    public string Description => $"{_inner.Description} (partition {Partition})";

    /// <inheritdoc />
    public async IAsyncEnumerable<ImageItem> ReadAsync(string? afterId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _inner.ReadAsync(afterId, cancellationToken).ConfigureAwait(false))
        {
            if (Partition.Contains(item.Id))
            {
                yield return item;
            }
        }
    }
}
