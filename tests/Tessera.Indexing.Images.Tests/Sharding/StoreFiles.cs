using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Indexing.Images.Sharding;
using Tessera.Indexing.Storage;

namespace Tessera.Indexing.Images.Tests.Sharding;

/// <summary>Reads and edits the store's JSON documents the way another tool would: as plain JSON.</summary>
internal static class StoreFiles
{
    public static JsonNode Json(string storePath, string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(storePath, name)))!;

    public static void Edit(string storePath, string name, Action<JsonNode> edit)
    {
        var node = Json(storePath, name);
        edit(node);
        File.WriteAllText(Path.Combine(storePath, name), node.ToJsonString());
    }

    public static ShardManifest Manifest(string storePath, string model = "histogram", string type = "color") =>
        JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(Path.Combine(storePath, ShardStoreLayout.ManifestName(model, type))), Options)!;

    public static BuildProgressDocument Progress(string storePath) =>
        JsonSerializer.Deserialize<BuildProgressDocument>(File.ReadAllText(Path.Combine(storePath, ShardStoreLayout.ProgressName)), Options)!;

    /// <summary>Every (label, id) of a type, from its segments, in manifest order.</summary>
    public static List<(long Label, string Id)> IdMap(string storePath, string model = "histogram", string type = "color")
    {
        var result = new List<(long, string)>();
        foreach (var entry in Manifest(storePath, model, type).Shards)
        {
            var segment = Json(storePath, entry.IdMap);
            var first = segment["firstLabel"]!.GetValue<long>();
            var ids = segment["ids"]!.AsArray();
            for (var i = 0; i < entry.Count; i++)
            {
                result.Add((first + i, ids[i]!.GetValue<string>()));
            }
        }

        return result;
    }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
