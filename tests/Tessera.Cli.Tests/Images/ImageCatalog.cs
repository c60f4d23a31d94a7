using System.Text;
using System.Text.Json.Nodes;
using Tessera.Indexing.Gdal.Images;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Images;

/// <summary>A folder of PNG product images (written through GDAL) with a CSV manifest (id, image, brand), and a store folder beside it.</summary>
internal sealed class ImageCatalog : IDisposable
{
    private readonly TempDirectory _dir = new("tessera-cli-images");

    public ImageCatalog(int items, IEnumerable<int>? corrupt = null, IEnumerable<int>? missing = null)
    {
        var corruptSet = new HashSet<int>(corrupt ?? []);
        var missingSet = new HashSet<int>(missing ?? []);
        var csv = new StringBuilder("id,image,brand\n");
        string[] brands = ["acme", "globex", "initech", "umbrella"];
        for (var i = 0; i < items; i++)
        {
            var file = $"images/{Id(i)}.png";
            var path = Path.Combine(_dir.Path, file);
            if (corruptSet.Contains(i))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, "\x89PNG but not really an image"u8.ToArray());
            }
            else if (!missingSet.Contains(i))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                GdalPngWriter.Write(path, 32, 32, 3, TestPixels.Blocks(i, 32, 32));
            }

            csv.Append(Id(i)).Append(',').Append(file).Append(',').Append(brands[i % brands.Length]).Append('\n');
            if (!corruptSet.Contains(i) && !missingSet.Contains(i))
            {
                Valid.Add(Id(i));
            }
        }

        File.WriteAllText(Manifest, csv.ToString());
    }

    public static string Id(int i) => $"sku-{i:D4}";

    public List<string> Valid { get; } = [];

    public string Manifest => Path.Combine(_dir.Path, "items.csv");

    public string Store => Path.Combine(_dir.Path, "store");

    public string Image(int i) => Path.Combine(_dir.Path, "images", Id(i) + ".png");

    public JsonNode Json(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Store, name)))!;

    /// <summary>Every (label, id) of a type in the store at <paramref name="root"/>, from the manifest's id-map segments.</summary>
    public List<(long Label, string Id)> IdMap(string type = "color", string? root = null)
    {
        root ??= Store;
        var result = new List<(long, string)>();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(root, $"histogram_{type}_manifest.json")))!;
        foreach (var shard in manifest["shards"]!.AsArray())
        {
            var segment = JsonNode.Parse(File.ReadAllText(Path.Combine(root, shard!["idMap"]!.GetValue<string>())))!;
            var ids = segment["ids"]!.AsArray();
            var first = segment["firstLabel"]!.GetValue<long>();
            for (var i = 0; i < shard["count"]!.GetValue<long>(); i++)
            {
                result.Add((first + i, ids[i]!.GetValue<string>()));
            }
        }

        return result;
    }

    public void Dispose() => _dir.Dispose();
}
