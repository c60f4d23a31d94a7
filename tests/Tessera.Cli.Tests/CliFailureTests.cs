using System.Diagnostics;
using Tessera.Cli.Tests.Images;
using Tessera.Cli.Tests.Mosaics;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests;

/// <summary>Hostile and clumsy inputs end with one line on stderr and a documented exit code, never a stack trace or a hang.</summary>
public sealed class CliFailureTests
{
    // A guard against a hang (the FIFO case); not a speed goal.
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(4);

    [Fact]
    public void A_geotiff_cut_at_half_its_size_fails_with_a_typed_one_line_error()
    {
        using var dir = new TempDirectory();
        var tif = dir.File("m.tif");
        CliMosaics.WriteBytes(tif, 128, 16);
        using (var stream = new FileStream(tif, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var run = TesseraCli.Run(["index-mosaic", tif, "--viewport", "cut", "--out", dir.File("out"), "--factor", "4", "--index", "Flat"], Guard);

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run);
        Assert.Contains("is it truncated or corrupt?", run.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File(Path.Combine("out", "cut"))));
    }

    [Fact]
    public void An_unwritable_heatmap_path_fails_with_a_one_line_error()
    {
        using var dir = new TempDirectory();
        var mosaic = ViewportFixtures.WriteMosaic(dir.File("m.tif"), 24, 20, 16);
        var viewport = ViewportFixtures.BuildViewport(mosaic, dir.File("root"), "v", factor: 2);

        var run = TesseraCli.Run(["search", "--index-dir", viewport, "--pixel", "5,5", "--heatmap", dir.File(Path.Combine("no", "such", "folder", "heat.png"))], Guard);

        Assert.Equal(2, run.ExitCode);
        AssertOneLineError(run);
        Assert.Equal(string.Empty, run.StandardOutput); // refused before searching
    }

    [Fact]
    public void A_fifo_given_as_an_image_is_a_failed_item_and_the_build_finishes()
    {
        using var catalog = new ImageCatalog(6);
        File.Delete(catalog.Image(2));
        MakeFifo(catalog.Image(2));

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "4", "--json"], Guard);

        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        Assert.Contains("not a regular file", File.ReadAllText(Path.Combine(catalog.Store, "progress.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_row_with_an_empty_id_is_a_failed_item_and_check_alignment_reports_a_corrupt_progress_file()
    {
        using var catalog = new ImageCatalog(6);
        File.AppendAllText(catalog.Manifest, ",images/sku-0001.png,acme\n");

        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "4", "--json"], Guard);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        Assert.Contains("the id is empty", File.ReadAllText(Path.Combine(catalog.Store, "progress.json")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(catalog.Store, "progress.json"), "{ \"formatVersion\": 1, ");

        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--sample", "100"], Guard);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PROBLEM ProgressMismatch", check.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", check.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_alignment_with_a_deleted_shard_and_a_large_sample_ends_with_a_report()
    {
        using var catalog = new ImageCatalog(12);
        var build = TesseraCli.Run(["build-images", "--items", catalog.Manifest, "--store", catalog.Store, "--items-per-shard", "5", "--json"], Guard);
        Assert.True(build.ExitCode == 0, build.StandardError + build.StandardOutput);
        File.Delete(Path.Combine(catalog.Store, "histogram_color_shard_00002.index"));

        var check = TesseraCli.Run(["check-alignment", "--store", catalog.Store, "--sample", "100"], Guard);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("PROBLEM MissingShard", check.StandardOutput, StringComparison.Ordinal);
    }

    private static void AssertOneLineError(ProcessRunner.Result run)
    {
        var lines = run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("info", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.StandardError, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("error:", StringComparison.Ordinal) || l.StartsWith("tessera:", StringComparison.Ordinal));
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
