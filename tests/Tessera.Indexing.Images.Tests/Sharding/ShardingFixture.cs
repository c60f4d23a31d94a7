using System.Text;
using Microsoft.Extensions.AI;
using Tessera.Indexing.Images.Embeddings;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Items;
using Tessera.Indexing.Images.Items;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>A folder of test images with a CSV manifest, and the builder parts for it.</summary>
internal sealed class ShardingFixture : IDisposable
{
    private readonly TempDirectory _dir = new("tessera-shards");

    public ShardingFixture(int items, string[]? brands = null, IEnumerable<int>? corrupt = null, IEnumerable<int>? missing = null)
    {
        brands ??= ["acme", "globex", "initech"];
        var corruptSet = new HashSet<int>(corrupt ?? []);
        var missingSet = new HashSet<int>(missing ?? []);
        var csv = new StringBuilder("id,image,brand,price\n");
        for (var i = 0; i < items; i++)
        {
            var id = ItemId(i);
            var file = $"images/{id}.trgb";
            if (corruptSet.Contains(i))
            {
                File.WriteAllBytes(EnsureFolder(Path.Combine(_dir.Path, file)), "not an image"u8.ToArray());
            }
            else if (!missingSet.Contains(i))
            {
                TestImages.Write(Path.Combine(_dir.Path, file), TestImages.Blocks(i));
            }

            csv.Append(id).Append(',').Append(file).Append(',').Append(brands[i % brands.Length]).Append(',').Append(i * 10).Append('\n');
        }

        File.WriteAllText(ManifestPath, csv.ToString());
        StorePath = Path.Combine(_dir.Path, "store");
    }

    public static string ItemId(int i) => $"item-{i:D4}";

    public string Root => _dir.Path;

    public string ManifestPath => Path.Combine(_dir.Path, "items.csv");

    public string StorePath { get; }

    public LocalShardStore Store => new(StorePath);

    public IItemSource Items => new CsvItemSource(ManifestPath);

    public TestImages.Decoder Decoder { get; } = new();

    public static IReadOnlyDictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>> Embedders(params string[] types)
    {
        var color = new ColorHistogramEmbedder(new ColorHistogramOptions { BinsPerChannel = 4 });
        var structure = new GrayscaleEmbeddingGenerator(color);
        var all = new Dictionary<string, IEmbeddingGenerator<RgbImage, Embedding<float>>>
        {
            [ImageIndexTypes.Color] = color,
            [ImageIndexTypes.Structure] = structure,
            [ImageIndexTypes.Combined] = new CombinedEmbeddingGenerator<RgbImage>(color, structure),
        };
        return (types.Length == 0 ? ["color"] : types).ToDictionary(t => t, t => all[t]);
    }

    public ShardedImageIndexBuilder Builder(ShardedIndexOptions? options = null, IShardStore? store = null, params string[] types) =>
        new(store ?? Store, Decoder, Embedders(types), options ?? new ShardedIndexOptions { ItemsPerShard = 10, BatchSize = 4, DecodeParallelism = 2 });

    public string ImagePath(int i) => Path.Combine(_dir.Path, "images", ItemId(i) + ".trgb");

    public void Dispose() => _dir.Dispose();

    private static string EnsureFolder(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
