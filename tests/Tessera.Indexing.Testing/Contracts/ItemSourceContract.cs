using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="IItemSource"/> must do, from the interface's documentation and what the sharded builder
/// relies on: every item exactly once, in a stable order the source defines; <c>afterId</c> resumes right after that
/// item; the <see cref="ItemPartition"/>s of its ids cover it exactly; cancellation honoured before and during the
/// enumeration; a bad row never becomes an item with an empty id or image (it is skipped, or the read fails with
/// <see cref="InvalidDataException"/>); and a secret-free <see cref="IItemSource.Description"/>.
/// </summary>
/// <remarks>
/// A concrete test class fills in <see cref="CreateSourceAsync"/>, which stores the given items (in the given
/// order, which is also ordinal id order) wherever the source reads from, and <see cref="CreateSourceWithBadRowAsync"/>.
/// <see cref="Directory"/> is a fresh folder per test.
/// </remarks>
public abstract class ItemSourceContract : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("tessera-items");

    /// <summary>How a source treats a row it cannot turn into an item.</summary>
    protected enum BadRowHandling
    {
        /// <summary>The row is left out (and logged); the other items still come.</summary>
        Skipped,

        /// <summary>The enumeration fails with <see cref="InvalidDataException"/> naming the row.</summary>
        Throws,

        /// <summary>
        /// The row becomes an invalid item in its place: stand-ins for an empty id or image (never empty), and
        /// the attribute <see cref="InvalidRowAttribute"/> holding the reason; a build records it as failed.
        /// </summary>
        Invalid,
    }

    /// <summary>A fresh folder for this test, deleted afterwards.</summary>
    protected string Directory => _directory.Path;

    /// <summary>The attribute that marks an invalid item (<see cref="InvalidItems.Attribute"/>).</summary>
    protected const string InvalidRowAttribute = InvalidItems.Attribute;

    /// <summary>How this source treats bad rows.</summary>
    protected abstract BadRowHandling BadRows { get; }

    /// <summary>Strings that must never appear in <see cref="IItemSource.Description"/> (keys, passwords).</summary>
    protected virtual IEnumerable<string> Secrets => [];

    /// <summary>
    /// A source that yields exactly <paramref name="items"/>. They come in ordinal id order (ids are zero-padded,
    /// so numeric, text and file order agree), with image locations from <see cref="SampleItems"/>.
    /// </summary>
    /// <param name="items">The items.</param>
    /// <returns>The source.</returns>
    protected abstract Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items);

    /// <summary>
    /// A source holding <paramref name="items"/> with one bad row (no image) inserted after item
    /// <paramref name="afterIndex"/>; where the source has no rows (a folder), whatever it treats as bad.
    /// </summary>
    /// <param name="items">The good items.</param>
    /// <param name="afterIndex">Where the bad row goes.</param>
    /// <returns>The source.</returns>
    protected abstract Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex);

    /// <summary>
    /// The items a test stores: ids <c>1000</c>, <c>1001</c>, … (the same order as numbers and as text), <c>https</c>
    /// image URLs, and a brand on most. Override when the source makes its own locations (a folder's file paths).
    /// </summary>
    /// <param name="count">How many.</param>
    /// <returns>The items, in id order.</returns>
    protected virtual IReadOnlyList<ImageItem> SampleItems(int count) =>
        Enumerable.Range(1000, count)
            .Select(i => new ImageItem(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"https://img.example/p/{i}.jpg", i % 4 == 0 ? null : $"brand-{i % 3}"))
            .ToArray();

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_item_comes_exactly_once_in_the_sources_order_with_its_image_and_brand()
    {
        var items = SampleItems(23);
        var source = await CreateSourceAsync(items);

        var read = await ReadAllAsync(source);

        Assert.Equal(items.Select(i => i.Id), read.Select(i => i.Id));
        Assert.Equal(items.Select(i => i.ImageLocation), read.Select(i => i.ImageLocation));
        Assert.Equal(items.Select(i => i.Brand), read.Select(i => i.Brand));
    }

    [Fact]
    public async Task Reading_twice_gives_the_same_items_in_the_same_order()
    {
        var source = await CreateSourceAsync(SampleItems(17));

        var first = await ReadAllAsync(source);
        var second = await ReadAllAsync(source);

        Assert.Equal(first.Select(i => (i.Id, i.ImageLocation, i.Brand)), second.Select(i => (i.Id, i.ImageLocation, i.Brand)));
    }

    [Fact]
    public async Task Two_enumerations_at_once_each_get_every_item()
    {
        var items = SampleItems(40);
        var source = await CreateSourceAsync(items);

        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => ReadAllAsync(source))));

        Assert.All(reads, read => Assert.Equal(items.Select(i => i.Id), read.Select(i => i.Id)));
    }

    [Fact]
    public async Task An_empty_source_yields_nothing()
    {
        var source = await CreateSourceAsync([]);

        Assert.Empty(await ReadAllAsync(source));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(18)]
    public async Task AfterId_resumes_right_after_that_item(int index)
    {
        var items = SampleItems(19);
        var source = await CreateSourceAsync(items);

        var read = await ReadAllAsync(source, items[index].Id);

        Assert.Equal(items.Skip(index + 1).Select(i => i.Id), read.Select(i => i.Id));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Partitions_of_the_source_cover_every_item_exactly_once(int count)
    {
        var items = SampleItems(30);
        var source = await CreateSourceAsync(items);

        var parts = new List<List<ImageItem>>();
        for (var p = 0; p < count; p++)
        {
            parts.Add(await ReadAllAsync(new PartitionedItemSource(source, new ItemPartition(p, count))));
        }

        Assert.Equal(items.Select(i => i.Id).Order(StringComparer.Ordinal), parts.SelectMany(p => p).Select(i => i.Id).Order(StringComparer.Ordinal));
        Assert.All(parts, part => Assert.Equal(items.Select(i => i.Id).Where(part.Select(i => i.Id).Contains), part.Select(i => i.Id)));
    }

    [Fact]
    public async Task A_cancelled_token_stops_the_enumeration_before_any_item()
    {
        var source = await CreateSourceAsync(SampleItems(10));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var read = new List<ImageItem>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in source.ReadAsync(null, cancelled.Token))
            {
                read.Add(item);
            }
        });

        Assert.Empty(read);
    }

    [Fact]
    public async Task Cancelling_during_the_enumeration_stops_it_with_OperationCanceledException()
    {
        var items = SampleItems(25);
        var source = await CreateSourceAsync(items);
        using var cts = new CancellationTokenSource();
        var read = new List<ImageItem>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in source.ReadAsync(null, cts.Token))
            {
                read.Add(item);
                if (read.Count == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(items.Take(3).Select(i => i.Id), read.Select(i => i.Id));
    }

    [Fact]
    public async Task A_bad_row_never_becomes_an_item_and_is_skipped_or_fails_with_InvalidDataException()
    {
        var items = SampleItems(12);
        var source = await CreateSourceWithBadRowAsync(items, afterIndex: 4);
        var read = new List<ImageItem>();

        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var item in source.ReadAsync())
            {
                read.Add(item);
            }
        });

        Assert.All(read, i => Assert.False(string.IsNullOrWhiteSpace(i.Id) || string.IsNullOrWhiteSpace(i.ImageLocation), $"item '{i.Id}' has no id or image"));
        if (BadRows == BadRowHandling.Invalid)
        {
            Assert.Null(error);
            var invalid = Assert.Single(read, i => i.Attributes?.ContainsKey(InvalidRowAttribute) == true);
            Assert.False(string.IsNullOrWhiteSpace(invalid.Attributes![InvalidRowAttribute]));
            Assert.Equal(items.Select(i => i.Id), read.Where(i => i != invalid).Select(i => i.Id));
        }
        else if (BadRows == BadRowHandling.Skipped)
        {
            Assert.Null(error);
            Assert.Equal(items.Select(i => i.Id), read.Select(i => i.Id));
        }
        else
        {
            Assert.IsType<InvalidDataException>(error);
            Assert.Equal(items.Take(read.Count).Select(i => i.Id), read.Select(i => i.Id));
        }
    }

    [Fact]
    public async Task Description_is_set_and_free_of_secrets()
    {
        var source = await CreateSourceAsync(SampleItems(1));

        Assert.False(string.IsNullOrWhiteSpace(source.Description));
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, source.Description, StringComparison.Ordinal);
        }
    }

    /// <summary>Reads a whole source.</summary>
    /// <param name="source">The source.</param>
    /// <param name="afterId">The resume hint.</param>
    /// <returns>The items.</returns>
    protected static async Task<List<ImageItem>> ReadAllAsync(IItemSource source, string? afterId = null)
    {
        var items = new List<ImageItem>();
        await foreach (var item in source.ReadAsync(afterId))
        {
            items.Add(item);
        }

        return items;
    }
}
