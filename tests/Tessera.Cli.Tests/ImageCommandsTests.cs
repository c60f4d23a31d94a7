using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Cli.Tests.Images;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests;

public sealed class ImageCommandsTests
{
    [Fact]
    public void Build_check_and_search_work_end_to_end_with_failures_recorded()
    {
        using var catalog = new ImageCatalog(30, corrupt: [4], missing: [11]);

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--types", "color,structure,combined", "--items-per-shard", "8", "--batch", "5", "--json"]);
        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--items", catalog.Manifest, "--sample", "6"]);
        var search = TesseraCli.Run(["search-images", "--store", catalog.Store, "--type", "color", "--image", catalog.Image(17), "--k", "3", "--json"]);

        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        var result = JsonNode.Parse(build.StandardOutput)!;
        Assert.Equal(28, result["indexed"]!.GetValue<long>());
        Assert.Equal(["sku-0004", "sku-0011"], result["new_failures"]!.AsArray().Select(f => f!["id"]!.GetValue<string>()).Order());
        Assert.Equal(28, result["brands"]!.AsObject().Sum(b => b.Value!.GetValue<long>()));
        foreach (var type in new[] { "color", "structure", "combined" })
        {
            Assert.Equal(catalog.Valid, catalog.IdMap(type).Select(e => e.Id));
            Assert.Equal(4, result["shards"]![type]!.GetValue<int>());
        }

        Assert.True(check.ExitCode == 0, check.StandardError + check.StandardOutput);
        Assert.Contains("18 samples re-embedded", check.StandardOutput);
        Assert.Contains("aligned", check.StandardOutput);

        Assert.True(search.ExitCode == 0, search.StandardError + search.StandardOutput);
        var hits = JsonNode.Parse(search.StandardOutput)!.AsArray();
        Assert.Equal("sku-0017", hits[0]!["item_id"]!.GetValue<string>());
        Assert.Equal(1.0, hits[0]!["score"]!.GetValue<double>(), 3);
        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public void A_build_killed_mid_run_resumes_with_nothing_lost_or_duplicated()
    {
        using var catalog = new ImageCatalog(150, corrupt: [50]);
        string[] args = ["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--types", "color,structure", "--items-per-shard", "25", "--batch", "2", "--json"];

        // Kill the real process as soon as it has committed a few batches: it dies at an arbitrary point of a later one.
        using (var process = TesseraCli.Start(args))
        {
            var progressPath = Path.Combine(catalog.Store, "progress.json");
            var watch = Stopwatch.StartNew();
            while (!process.HasExited && watch.Elapsed < TimeSpan.FromMinutes(2) && IndexedSoFar(progressPath) < 20)
            {
                Thread.Sleep(20);
            }

            Assert.False(process.HasExited, "the build finished before it could be killed; give it more items");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var killed = JsonNode.Parse(File.ReadAllText(Path.Combine(catalog.Store, "progress.json")))!;
        Assert.False(killed["completed"]!.GetValue<bool>());
        var indexedBeforeKill = killed["checkpoint"]!["indexed"]!.GetValue<long>();
        Assert.InRange(indexedBeforeKill, 20, 148);

        var resumed = TesseraCli.Run(args);
        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--items", catalog.Manifest, "--sample", "10"]);

        Assert.True(resumed.ExitCode == 0, resumed.StandardError + resumed.StandardOutput);
        var result = JsonNode.Parse(resumed.StandardOutput)!;
        Assert.True(result["indexed"]!.GetValue<long>() <= 149 - indexedBeforeKill);
        foreach (var type in new[] { "color", "structure" })
        {
            var idMap = catalog.IdMap(type);
            Assert.Equal(catalog.Valid.Order(), idMap.Select(e => e.Id).Order());
            Assert.Equal(Enumerable.Range(0, 149).Select(i => (long)i), idMap.Select(e => e.Label));
        }

        Assert.True(check.ExitCode == 0, check.StandardError + check.StandardOutput);
        var progress = JsonNode.Parse(File.ReadAllText(Path.Combine(catalog.Store, "progress.json")))!;
        Assert.True(progress["completed"]!.GetValue<bool>());
        Assert.Equal(2, progress["runs"]!.GetValue<int>());
        Assert.Equal("sku-0050", progress["failed"]!.AsArray().Single()!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Three_partitions_built_by_three_processes_at_once_merge_into_one_aligned_store()
    {
        using var catalog = new ImageCatalog(60, corrupt: [7]);
        var processes = Enumerable.Range(0, 3)
            .Select(i => TesseraCli.Start("build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "6", "--batch", "4", "--partition", $"{i}/3", "--json"))
            .ToArray();
        var outputs = processes.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToArray();
        foreach (var (process, i) in processes.Select((p, i) => (p, i)))
        {
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"partition {i} did not finish");
            var stdout = await outputs[i].Out;
            var stderr = await outputs[i].Err;
            Assert.True(process.ExitCode == 0, stderr + stdout);
            process.Dispose();
        }

        var merge = TesseraCli.Run(["merge-partitions", "--store", catalog.Store, "--json"]);
        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--items", catalog.Manifest, "--sample", "12"]);
        var search = TesseraCli.Run(["search-images", "--store", catalog.Store, "--image", catalog.Image(42), "--k", "1", "--json"]);

        Assert.True(merge.ExitCode == 0, merge.StandardError + merge.StandardOutput);
        Assert.Equal(59, JsonNode.Parse(merge.StandardOutput)!["vectors"]!["color"]!.GetValue<long>());
        var perPartition = Enumerable.Range(0, 3).Select(i => catalog.IdMap(root: Path.Combine(catalog.Store, $"part-{i}-of-3"))).ToArray();
        Assert.All(perPartition, p => Assert.NotEmpty(p));
        Assert.Equal(catalog.Valid.Order(), perPartition.SelectMany(p => p).Select(e => e.Id).Order());
        Assert.Equal(catalog.Valid.Order(), catalog.IdMap().Select(e => e.Id).Order());
        Assert.True(check.ExitCode == 0, check.StandardError + check.StandardOutput);
        Assert.True(search.ExitCode == 0, search.StandardError + search.StandardOutput);
        Assert.Equal("sku-0042", JsonNode.Parse(search.StandardOutput)![0]!["item_id"]!.GetValue<string>());
    }

    [Fact]
    public void Check_alignment_exits_non_zero_on_a_corrupted_shard()
    {
        using var catalog = new ImageCatalog(12);
        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "5", "--json"]);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        var shard = Path.Combine(catalog.Store, "histogram_color_shard_00002.index");
        var bytes = File.ReadAllBytes(shard);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(shard, bytes);

        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store]);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PROBLEM ChecksumMismatch [color]", check.StandardOutput);
    }

    [Fact]
    public void Check_alignment_takes_types_like_build_images_and_still_accepts_type()
    {
        using var catalog = new ImageCatalog(10);
        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--types", "color,structure", "--items-per-shard", "5", "--json"]);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);

        var types = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--types", "structure", "--json"]);
        var type = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--type", "structure", "--json"]);

        Assert.True(types.ExitCode == 0, types.StandardError + types.StandardOutput);
        Assert.True(type.ExitCode == 0, type.StandardError + type.StandardOutput);
        foreach (var output in new[] { types.StandardOutput, type.StandardOutput })
        {
            Assert.Contains("\"structure\"", output, StringComparison.Ordinal);
            Assert.DoesNotContain("\"color\"", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_onnx_model_builds_checks_and_searches_a_store_named_after_the_model()
    {
        using var catalog = new ImageCatalog(12);
        var model = Path.Combine(Path.GetDirectoryName(catalog.Manifest)!, "tiny-encoder.onnx");
        File.WriteAllBytes(model, new Tessera.Indexing.Onnx.Tests.Models.TinyImageEncoder(imageSize: 224, dimension: 16).ToOnnx());

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--model", model, "--provider", "cpu", "--types", "color,combined", "--items-per-shard", "5", "--json"]);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        Assert.True(File.Exists(Path.Combine(catalog.Store, "tiny-encoder_color_shard_00003.index")), string.Join(", ", Directory.GetFiles(catalog.Store)));
        Assert.True(File.Exists(Path.Combine(catalog.Store, "tiny-encoder_combined_shard_00001.index")));

        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--model", model, "--sample", "4"]);
        Assert.True(check.ExitCode == 0, check.StandardError + check.StandardOutput);
        Assert.True(check.StandardOutput.Contains("2 types, 6 shards, 24 vectors, 8 samples re-embedded", StringComparison.Ordinal), check.StandardOutput);

        var search = TesseraCli.Run(["search-images", "--store", catalog.Store, "--type", "color", "--image", catalog.Image(7), "--model", model, "--k", "1", "--json"]);
        Assert.True(search.ExitCode == 0, search.StandardError + search.StandardOutput);
        Assert.Contains(ImageCatalog.Id(7), search.StandardOutput);

        var withoutModel = TesseraCli.Run(["search-images", "--store", catalog.Store, "--image", catalog.Image(7)]);
        Assert.Equal(2, withoutModel.ExitCode);
        Assert.Contains("pass --model", withoutModel.StandardError);
    }

    [Fact]
    public void A_missing_model_file_is_refused_before_anything_is_written()
    {
        using var catalog = new ImageCatalog(1);

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--model", "no-such-model.onnx"]);

        Assert.Equal(2, build.ExitCode);
        Assert.Contains("no such ONNX model file", build.StandardError);
        Assert.False(Directory.Exists(catalog.Store));
    }

    private static long IndexedSoFar(string progressPath)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(progressPath))!["checkpoint"]!["indexed"]!.GetValue<long>();
        }
        catch (Exception e) when (e is IOException or JsonException or NullReferenceException)
        {
            return 0;
        }
    }
}
