using Tessera.Indexing.Mosaics;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;
using static Tessera.Indexing.Mosaics.Tests.MosaicIndexerTests;

namespace Tessera.Indexing.Mosaics.Tests;

public sealed class MosaicCacheTests
{
    private const int Bands = 8;

    [Fact]
    public void A_second_build_with_the_same_source_and_parameters_is_cached_and_touches_no_file()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 20, 20);
        var first = Build(raster, dir.Path, factor: 2, factory: "IVF2,Flat");
        var before = Snapshot(first.Directory);

        var second = Build(raster, dir.Path, factor: 2, factory: "IVF2,Flat");

        Assert.Equal(MosaicIndexStatus.Built, first.Status);
        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
        Assert.Equal(before, Snapshot(first.Directory));
        Assert.Equal(first.Metadata.CreatedUtc, second.Metadata.CreatedUtc);
    }

    [Fact]
    public void A_source_that_is_not_a_file_is_cached_by_the_hash_of_its_rows()
    {
        using var dir = new TempDirectory();
        using var raster = TestRasters.Bytes(20, 20, Bands);
        Build(raster, dir.Path, factor: 2, factory: "Flat");

        var second = Build(raster, dir.Path, factor: 2, factory: "Flat");

        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
        Assert.Equal(-1, second.Metadata.SourceFingerprint.SizeBytes);
    }

    public static TheoryData<string> ChangedParameters => ["factor", "offset", "factory", "metric", "normalize", "train", "storage", "seed"];

    [Theory]
    [MemberData(nameof(ChangedParameters))]
    public void Changing_a_build_parameter_rebuilds(string parameter)
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 24, 24);
        var baseOptions = Options(dir.Path, factor: 2, factory: "IVF2,Flat");
        var first = new MosaicIndexer().Build(raster, baseOptions);
        var changed = parameter switch
        {
            "factor" => Options(dir.Path, factor: 3, factory: "IVF2,Flat"),
            "offset" => Options(dir.Path, factor: 2, offset: 1, factory: "IVF2,Flat"),
            "factory" => Options(dir.Path, factor: 2, factory: "IVF3,Flat"),
            "metric" => Options(dir.Path, factor: 2, factory: "IVF2,Flat", metric: Indexing.Indexes.VectorMetric.InnerProduct),
            "normalize" => Options(dir.Path, factor: 2, factory: "IVF2,Flat", normalize: true),
            "train" => Options(dir.Path, factor: 2, factory: "IVF2,Flat", trainSize: 100),
            "storage" => Options(dir.Path, factor: 2, factory: "IVF2,Flat", storage: MosaicEmbeddingsType.UInt8),
            _ => new MosaicIndexOptions { ViewportId = "vp", OutputRoot = dir.Path, SamplingFactor = 2, IndexFactory = "IVF2,Flat", TrainSeed = 7 },
        };

        var second = new MosaicIndexer().Build(raster, changed);

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
        Assert.NotEqual(first.Metadata.CreatedUtc, second.Metadata.CreatedUtc);
    }

    [Fact]
    public void Force_rebuilds_a_valid_viewport()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path, factor: 2, factory: "Flat");

        var second = Build(raster, dir.Path, factor: 2, factory: "Flat", force: true);

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
        Assert.True(second.Metadata.CreatedUtc > first.Metadata.CreatedUtc);
    }

    [Fact]
    public void A_modified_source_file_rebuilds()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        Build(raster, dir.Path, factor: 2, factory: "Flat");
        File.AppendAllText(raster.Path, "changed");

        var second = Build(raster, dir.Path, factor: 2, factory: "Flat");

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
    }

    [Fact]
    public void A_source_file_changed_in_content_only_rebuilds()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        Build(raster, dir.Path, factor: 2, factory: "Flat");
        var info = new FileInfo(raster.Path);
        var written = info.LastWriteTimeUtc;
        var bytes = File.ReadAllBytes(raster.Path);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(raster.Path, bytes);
        File.SetLastWriteTimeUtc(raster.Path, written); // same size, same time: only the content hash differs

        var second = Build(raster, dir.Path, factor: 2, factory: "Flat");

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
    }

    [Theory]
    [InlineData("truncate-npy")]
    [InlineData("delete-index")]
    [InlineData("corrupt-metadata")]
    [InlineData("other-viewport")]
    public void A_damaged_or_foreign_viewport_folder_is_rebuilt(string damage)
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path, factor: 2, factory: "Flat");
        switch (damage)
        {
            case "truncate-npy":
                using (var stream = new FileStream(first.AllEmbeddingsPath, FileMode.Open))
                {
                    stream.SetLength(stream.Length - 4);
                }

                break;
            case "delete-index":
                File.Delete(first.IndexPath);
                break;
            case "corrupt-metadata":
                File.WriteAllText(first.MetadataPath, "{ not json");
                break;
            default:
                File.WriteAllText(first.MetadataPath, first.Metadata.ToJson().Replace("\"viewport_id\": \"vp\"", "\"viewport_id\": \"other\""));
                break;
        }

        var second = Build(raster, dir.Path, factor: 2, factory: "Flat");

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
        Assert.Equal(second.Metadata.FileSizes[MosaicLayout.AllEmbeddingsFileName], new FileInfo(second.AllEmbeddingsPath).Length);
        Assert.True(File.Exists(second.IndexPath));
        Assert.Equal("vp", MosaicMetadata.Read(second.MetadataPath).ViewportId);
    }

    [Fact]
    public void Stale_build_folders_of_the_viewport_are_removed_by_the_next_build_and_others_are_kept()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var stale = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp.tmp-999999-abc")).FullName;
        File.WriteAllText(Path.Combine(stale, MosaicLayout.MetadataFileName), "{}");
        var aside = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp.old-abc")).FullName;
        var otherViewport = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp2.tmp-1-abc")).FullName;

        Build(raster, dir.Path, factor: 2, factory: "Flat");

        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(aside));
        Assert.True(Directory.Exists(otherViewport));
    }

    internal static InMemoryRaster<byte> FileBacked(TempDirectory dir, int width, int height)
    {
        var raster = TestRasters.Bytes(width, height, Bands);
        var path = dir.File($"mosaic-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, raster.Data);
        return new InMemoryRaster<byte>(width, height, Bands, raster.Data, RasterDataType.Byte) { Path = path };
    }

    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory).ToDictionary(f => Path.GetFileName(f), f => (new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)));
}
