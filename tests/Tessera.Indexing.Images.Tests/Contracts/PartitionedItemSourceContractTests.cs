using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Items;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Images.Tests.Contracts;

/// <summary>
/// The item source contract for one partition (1 of 3) of a CSV manifest that also holds the other partitions'
/// items, interleaved: they must not show.
/// </summary>
public sealed class PartitionedItemSourceContractTests : ItemSourceContract
{
    private static readonly ItemPartition Partition = new(1, 3);

    protected override BadRowHandling BadRows => BadRowHandling.Invalid;

    /// <summary>Only ids in the partition (the others become the decoys).</summary>
    protected override IReadOnlyList<ImageItem> SampleItems(int count) =>
        Candidates().Where(i => Partition.Contains(i.Id)).Take(count).ToArray();

    protected override Task<IItemSource> CreateSourceAsync(IReadOnlyList<ImageItem> items) => Task.FromResult(Write(items, badAfter: null));

    protected override Task<IItemSource> CreateSourceWithBadRowAsync(IReadOnlyList<ImageItem> items, int afterIndex) => Task.FromResult(Write(items, afterIndex));

    private static string BadId => Enumerable.Range(1, 100).Select(k => $"bad-{k}").First(Partition.Contains);

    private static IEnumerable<ImageItem> Candidates() =>
        Enumerable.Range(10_000, 1000).Select(i => new ImageItem(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"https://img.example/p/{i}.jpg", $"brand-{i % 3}"));

    private IItemSource Write(IReadOnlyList<ImageItem> items, int? badAfter)
    {
        var last = items.Count == 0 ? 10_100 : int.Parse(items[^1].Id, System.Globalization.CultureInfo.InvariantCulture);
        var wanted = items.Select(i => i.Id).ToHashSet();
        var lines = new List<string> { "id,image,brand" };
        foreach (var candidate in Candidates().TakeWhile(c => int.Parse(c.Id, System.Globalization.CultureInfo.InvariantCulture) <= last + 10))
        {
            if (wanted.Contains(candidate.Id) || !Partition.Contains(candidate.Id))
            {
                lines.Add($"{candidate.Id},{candidate.ImageLocation},{candidate.Brand}");
            }

            if (badAfter is { } bad && candidate.Id == items[bad].Id)
            {
                // An id of this partition: a bad row becomes an invalid item of the partition its id falls in.
                lines.Add($"{BadId},,acme");
            }
        }

        var path = Path.Combine(Directory, "all-items.csv");
        File.WriteAllLines(path, lines);
        return new PartitionedItemSource(new CsvItemSource(path), Partition);
    }
}
