using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Images.Tests.Sharding;

public sealed class ShardPythonInteropTests
{
    [Fact]
    public async Task Python_faiss_reads_every_shard_and_finds_the_manifest_and_id_map_consistent()
    {
        using var fixture = new ShardingFixture(23);
        await fixture.Builder().BuildAsync(fixture.Items);

        const string script = """
            import faiss, hashlib, json, os, sys
            store = sys.argv[1]
            manifest = json.load(open(os.path.join(store, "histogram_color_manifest.json")))
            id_map = json.load(open(os.path.join(store, "histogram_color_id_map.json")))["labels"]
            shards = []
            for entry in manifest["shards"]:
                data = open(os.path.join(store, entry["name"]), "rb").read()
                index = faiss.read_index(os.path.join(store, entry["name"]))
                segment = json.load(open(os.path.join(store, entry["idMap"])))
                # Search the shard for its own first vector: local label 0, global label firstLabel.
                d, i = index.search(index.reconstruct(0).reshape(1, -1), 1)
                shards.append({
                    "ntotal": index.ntotal, "count": entry["count"], "ids": len(segment["ids"]),
                    "sha_ok": hashlib.sha256(data).hexdigest() == entry["sha256"],
                    "metric_ip": index.metric_type == faiss.METRIC_INNER_PRODUCT,
                    "self_label": entry["firstLabel"] + int(i[0][0]), "self_sim": float(d[0][0]),
                    "self_id": id_map[str(entry["firstLabel"] + int(i[0][0]))], "first_id": segment["ids"][0]})
            print(json.dumps(shards))
            """;
        var shards = Python.RunJson(script, fixture.StorePath).EnumerateArray().ToArray();

        Assert.Equal(3, shards.Length);
        foreach (var shard in shards)
        {
            Assert.Equal(shard.GetProperty("count").GetInt64(), shard.GetProperty("ntotal").GetInt64());
            Assert.Equal(shard.GetProperty("count").GetInt64(), shard.GetProperty("ids").GetInt64());
            Assert.True(shard.GetProperty("sha_ok").GetBoolean());
            Assert.True(shard.GetProperty("metric_ip").GetBoolean());
            Assert.Equal(1.0, shard.GetProperty("self_sim").GetDouble(), 4);
            Assert.Equal(shard.GetProperty("first_id").GetString(), shard.GetProperty("self_id").GetString());
        }
    }
}
