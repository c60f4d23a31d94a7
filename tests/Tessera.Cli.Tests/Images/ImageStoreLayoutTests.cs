using System.Text.Json.Nodes;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Images;

public sealed class ImageStoreLayoutTests
{
    [Fact]
    public void A_finished_image_build_leaves_only_whole_shards_that_python_faiss_reads()
    {
        using var catalog = new ImageCatalog(25);

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "7", "--batch", "2", "--json"]);

        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        Assert.Empty(Directory.GetFiles(catalog.Store, "*.batch_*"));
        var manifest = catalog.Json("histogram_color_manifest.json");
        Assert.True(manifest["normalized"]!.GetValue<bool>());
        var shards = manifest["shards"]!.AsArray();
        Assert.Equal([7L, 7L, 7L, 4L], shards.Select(s => s!["count"]!.GetValue<long>()));
        Assert.All(shards, s => Assert.Null(s!["batches"]));

        const string script = """
            import faiss, json, os, sys
            store = sys.argv[1]
            manifest = json.load(open(os.path.join(store, "histogram_color_manifest.json")))
            print(json.dumps([faiss.read_index(os.path.join(store, s["name"])).ntotal for s in manifest["shards"]]))
            """;
        var ntotals = Python.RunJson(script, catalog.Store).EnumerateArray().Select(e => e.GetInt64());
        Assert.Equal([7L, 7L, 7L, 4L], ntotals);
    }

    [Fact]
    public void Search_images_with_another_models_store_names_the_flag_to_use()
    {
        using var catalog = new ImageCatalog(3);
        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--json"]);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        var progress = Path.Combine(catalog.Store, "progress.json");
        var renamed = JsonNode.Parse(File.ReadAllText(progress))!;
        renamed["model"] = "clip-b32";
        File.WriteAllText(progress, renamed.ToJsonString());

        var search = TesseraCli.Run(["search-images", "--store", catalog.Store, "--image", catalog.Image(1)]);

        Assert.Equal(2, search.ExitCode);
        Assert.Contains("the store was built with the ONNX model 'clip-b32'; pass --model", search.StandardError);
    }
}
