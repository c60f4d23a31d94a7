using System.Text.Json;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Testing;

namespace Tessera.Cli.Tests;

public sealed class SearchCommandTests : IClassFixture<SearchCommandTests.Viewport>
{
    private readonly Viewport _viewport;

    public SearchCommandTests(Viewport viewport) => _viewport = viewport;

    [Fact]
    public void Json_output_is_one_object_with_the_matches()
    {
        var run = TesseraCli.Run(["search", "--index-dir", _viewport.Directory, "--pixel", "12,20", "--threshold", "0.99", "--limit", "50", "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("cosine", root.GetProperty("metric").GetString());
        Assert.Equal("exact_scan", root.GetProperty("strategy").GetString());
        Assert.True(root.GetProperty("total").GetInt64() >= root.GetProperty("results").GetArrayLength());
        Assert.Equal((12 * 48) + 20, root.GetProperty("results")[0].GetProperty("pixel_index").GetInt64());
    }

    [Fact]
    public void Json_flag_prints_the_same_document_as_format_json_and_refuses_another_format()
    {
        string[] query = ["search", "--index-dir", _viewport.Directory, "--pixel", "12,20", "--threshold", "0.99", "--limit", "5"];

        var flag = TesseraCli.Run([.. query, "--json"]);
        var format = TesseraCli.Run([.. query, "--format", "json"]);
        var both = TesseraCli.Run([.. query, "--json", "--format", "csv"]);

        Assert.True(flag.ExitCode == 0, flag.StandardError);
        Assert.Equal(
            JsonDocument.Parse(format.StandardOutput).RootElement.GetProperty("results").GetRawText(),
            JsonDocument.Parse(flag.StandardOutput).RootElement.GetProperty("results").GetRawText());
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--json", both.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lat_lon_query_with_l2_and_nprobe_uses_faiss_top_k()
    {
        var lat = (ViewportFixtures.OriginLat - (8.5 * ViewportFixtures.Step)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var lon = (ViewportFixtures.OriginLon + (8.5 * ViewportFixtures.Step)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        var run = TesseraCli.Run(["search", "--index-dir", _viewport.Directory, "--lat", lat, "--lon", lon, "--k", "4", "--metric", "l2", "--nprobe", "4"]);

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var json = JsonDocument.Parse(run.StandardOutput);
        Assert.Equal("faiss_top_k", json.RootElement.GetProperty("strategy").GetString());
        Assert.Equal("l2", json.RootElement.GetProperty("metric").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("results").GetArrayLength());
        Assert.Equal(8, json.RootElement.GetProperty("query").GetProperty("row").GetInt32());
    }

    [Fact]
    public void A_vector_query_with_csv_output_and_a_heat_map_writes_both()
    {
        using var temp = new TempDirectory();
        var vector = temp.File("q.npy");
        using (var writer = NpyWriter.Create(vector, NpyDataType.Float32, [16]))
        {
            var values = new float[16];
            Array.Fill(values, 0.5f);
            writer.Write<float>(values);
            writer.Complete();
        }

        var png = temp.File("heat.png");
        var run = TesseraCli.Run(["search", "--index-dir", _viewport.Directory, "--vector", vector, "--top-percent", "5", "--format", "csv", "--heatmap", png, "--heatmap-size", "32"]);

        Assert.True(run.ExitCode == 0, run.StandardError);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rank,pixel_index,row,col,lat,lon,score,x,y", lines[0]);
        var wanted = (int)Math.Ceiling(((48 * 40) - 15) * 0.05);
        Assert.InRange(lines.Length - 1, wanted, wanted + 5); // uint8 data may tie at the cutoff
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }

    [Fact]
    public void A_point_outside_the_mosaic_exits_2_with_a_clear_message()
    {
        var run = TesseraCli.Run(["search", "--index-dir", _viewport.Directory, "--lat", "0", "--lon", "0"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("outside", run.StandardError);
        Assert.Equal(string.Empty, run.StandardOutput);
    }

    [Theory]
    [InlineData("--threshold", "1.5")]
    [InlineData("--k", "0")]
    [InlineData("--metric", "hamming")]
    public void Out_of_range_options_exit_2(string option, string value)
    {
        var run = TesseraCli.Run(["search", "--index-dir", _viewport.Directory, "--pixel", "1,1", option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.StandardError);
    }

    /// <summary>A 48×40, 16-band viewport (uint8 embeddings, IVF8,Flat over every 2nd pixel) built from a GDAL-written GeoTIFF.</summary>
    public sealed class Viewport : IDisposable
    {
        private readonly TempDirectory _temp = new("tessera-cli-search");

        public Viewport()
        {
            var mosaic = ViewportFixtures.WriteMosaic(_temp.File("m.tif"), 48, 40, 16);
            Directory = ViewportFixtures.BuildViewport(mosaic, _temp.File("root"), "cli_viewport", factor: 2);
        }

        public string Directory { get; }

        public void Dispose() => _temp.Dispose();
    }
}
