using System.Text.Json;
using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests.Mosaics;

/// <summary>The real <c>tessera index-mosaic</c> run as a child process.</summary>
public sealed class IndexMosaicCommandTests
{
    [Fact]
    public void Json_mode_prints_one_json_summary_whose_counts_match_the_files_faiss_and_numpy_read()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 96, 16, zeroCorner: 8);
        var root = dir.File("faiss_indices");

        var result = TesseraCli.Run(["index-mosaic", tif, "--viewport", "viewport_13.0039_77.5566", "--out", root, "--factor", "4", "--index", "IVF4,Flat", "--json"]);

        Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
        using var summary = JsonDocument.Parse(result.StandardOutput);
        var json = summary.RootElement;
        Assert.Equal("built", json.GetProperty("status").GetString());
        Assert.Equal(96 * 96, json.GetProperty("num_total_pixels").GetInt64());
        Assert.Equal((24 * 24) - 4, json.GetProperty("num_sampled_pixels").GetInt64());
        Assert.Equal(64, json.GetProperty("nodata_pixels").GetInt64());
        var folder = Path.Combine(root, "viewport_13.0039_77.5566");
        Assert.Equal(folder, json.GetProperty("directory").GetString());
        var py = Python.RunJson("""
            import sys, json, numpy as np, faiss
            a = np.load(sys.argv[1] + '/all_embeddings.npy', mmap_mode='r')
            i = faiss.read_index(sys.argv[1] + '/embeddings.index')
            print(json.dumps({"shape": list(a.shape), "ntotal": int(i.ntotal), "max": float(a.max())}))
            """, folder);
        Assert.Equal([96 * 96, 16], py.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal((24 * 24) - 4, py.GetProperty("ntotal").GetInt64());
        Assert.InRange(py.GetProperty("max").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public void Lowered_ivf_lists_are_shown_in_the_text_summary_the_json_summary_and_metadata()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 64, 8);

        // 32 x 32 = 1,024 samples: FAISS wants 39 per list, so IVF64 becomes IVF26.
        string[] args = ["index-mosaic", tif, "--viewport", "vp", "--out", dir.File("out"), "--factor", "2", "--index", "IVF64,Flat"];
        var text = TesseraCli.Run(args);
        var json = TesseraCli.Run([.. args, "--json", "--force"]);

        Assert.True(text.ExitCode == 0, text.StandardError + text.StandardOutput);
        Assert.Contains("IVF lists lowered from 64 to 26", text.StandardOutput, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.StandardError + json.StandardOutput);
        var summary = JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal(64, summary.GetProperty("nlist_requested").GetInt32());
        Assert.Equal(26, summary.GetProperty("nlist").GetInt32());
        Assert.Equal("IVF64,Flat", summary.GetProperty("faiss_index_type_requested").GetString());
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "vp", "metadata.json"))).RootElement;
        Assert.Equal(64, metadata.GetProperty("nlist_requested").GetInt32());
        Assert.Equal(26, metadata.GetProperty("nlist").GetInt32());
    }

    [Fact]
    public void Ivf_lists_that_fit_the_training_set_print_no_lowering_note()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 64, 8);

        var text = TesseraCli.Run(["index-mosaic", tif, "--viewport", "vp", "--out", dir.File("out"), "--factor", "2", "--index", "IVF4,Flat"]);

        Assert.True(text.ExitCode == 0, text.StandardError + text.StandardOutput);
        Assert.DoesNotContain("lowered", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_is_reported_cached_and_leaves_every_file_untouched()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 64, 8);
        string[] args = ["index-mosaic", tif, "--viewport", "vp", "--out", dir.File("out"), "--factor", "2", "--index", "IVF4,Flat", "--json"];
        var first = TesseraCli.Run(args);
        Assert.True(first.ExitCode == 0, first.StandardError);
        var folder = Path.Combine(dir.File("out"), "vp");
        var before = Directory.EnumerateFiles(folder).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), new FileInfo(f).Length));

        var second = TesseraCli.Run(args);

        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.Equal("cached", JsonDocument.Parse(second.StandardOutput).RootElement.GetProperty("status").GetString());
        var after = Directory.EnumerateFiles(folder).ToDictionary(f => f, f => (File.GetLastWriteTimeUtc(f), new FileInfo(f).Length));
        Assert.Equal(before, after);
    }

    [Fact]
    public void Force_rebuilds_a_cached_viewport()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 32, 8);
        string[] args = ["index-mosaic", tif, "--viewport", "vp", "--out", dir.File("out"), "--factor", "1", "--index", "Flat", "--json"];
        Assert.Equal(0, TesseraCli.Run(args).ExitCode);

        var forced = TesseraCli.Run([.. args, "--force"]);

        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("built", JsonDocument.Parse(forced.StandardOutput).RootElement.GetProperty("status").GetString());
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "missing file", ["index-mosaic", "{dir}/nope.tif", "--viewport", "vp", "--out", "{out}"], "does not exist" },
        { "not a raster", ["index-mosaic", "{dir}/text.tif", "--viewport", "vp", "--out", "{out}"], "not a readable raster" },
        { "no geotransform", ["index-mosaic", "{dir}/plain.tif", "--viewport", "vp", "--out", "{out}"], "no geotransform" },
        { "separator in id", ["index-mosaic", "{dir}/m.tif", "--viewport", "a/b", "--out", "{out}"], "path separator" },
        { "dot-dot id", ["index-mosaic", "{dir}/m.tif", "--viewport", "..", "--out", "{out}"], "'..'" },
        { "empty id", ["index-mosaic", "{dir}/m.tif", "--viewport", "", "--out", "{out}"], "must not be empty" },
        { "factor 0", ["index-mosaic", "{dir}/m.tif", "--viewport", "vp", "--out", "{out}", "--factor", "0"], "sampling factor" },
        { "unknown index", ["index-mosaic", "{dir}/m.tif", "--viewport", "vp", "--out", "{out}", "--index", "Bogus99"], "Bogus99" },
        { "dimension", ["index-mosaic", "{dir}/m.tif", "--viewport", "vp", "--out", "{out}", "--dim", "128"], "declared as 128" },
        { "unknown metric", ["index-mosaic", "{dir}/m.tif", "--viewport", "vp", "--out", "{out}", "--metric", "cosine"], "cosine" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_exits_non_zero_with_a_clear_message_and_creates_no_output_folder(string name, string[] template, string message)
    {
        using var dir = new TempDirectory();
        CliMosaics.WriteBytes(dir.File("m.tif"), 32, 8);
        CliMosaics.WriteBytes(dir.File("plain.tif"), 32, 8, georeferenced: false);
        File.WriteAllText(dir.File("text.tif"), "not a raster");
        var output = dir.File("out");
        var args = template.Select(a => a.Replace("{dir}", dir.Path).Replace("{out}", output)).ToArray();

        var result = TesseraCli.Run(args);

        Assert.True(result.ExitCode != 0, $"{name}: exit code 0");
        Assert.Contains(message, result.StandardError);
        Assert.False(Directory.Exists(output), $"{name}: the output folder was created");
    }

    [Fact]
    public void Bad_input_in_json_mode_prints_a_failed_summary_naming_the_error_kind()
    {
        using var dir = new TempDirectory();

        var result = TesseraCli.Run(["index-mosaic", dir.File("nope.tif"), "--viewport", "vp", "--out", dir.File("out"), "--json"]);

        Assert.Equal(2, result.ExitCode);
        var json = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal("failed", json.GetProperty("status").GetString());
        Assert.Equal("SourceNotFound", json.GetProperty("error_kind").GetString());
    }

    [Fact]
    public void A_build_killed_part_way_leaves_no_complete_looking_viewport_and_the_next_run_builds_it()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("big.tif");
        CliMosaics.WriteBytes(tif, 256, 64);
        var root = dir.File("out");

        // all_embeddings.npy is complete by the time training starts; PQ training takes seconds: kill then.
        using (var process = TesseraCli.Start(["index-mosaic", tif, "--viewport", "vp", "--out", root, "--factor", "2", "--index", "IVF16,PQ16np"]))
        {
            // Stage lines appear on stdout when it is not a terminal.
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.Contains("Training", StringComparison.Ordinal))
            {
            }

            Assert.NotNull(line);
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Assert.False(Directory.Exists(Path.Combine(root, "vp")), "a killed build left the viewport folder");
        var staging = Assert.Single(Directory.EnumerateDirectories(root));
        Assert.StartsWith(".vp.tmp-", Path.GetFileName(staging));

        var rerun = TesseraCli.Run(["index-mosaic", tif, "--viewport", "vp", "--out", root, "--factor", "2", "--index", "IVF16,Flat", "--json"]);

        Assert.True(rerun.ExitCode == 0, rerun.StandardError);
        Assert.Equal("built", JsonDocument.Parse(rerun.StandardOutput).RootElement.GetProperty("status").GetString());
        Assert.Equal(["vp"], Directory.EnumerateDirectories(root).Select(d => Path.GetFileName(d)!).ToArray());
    }
}
