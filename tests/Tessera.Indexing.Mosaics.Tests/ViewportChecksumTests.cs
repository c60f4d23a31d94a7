using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Mosaics.Integrity;
using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Mosaics.Tests;

public sealed class ViewportChecksumTests
{
    [Fact]
    public void The_metadata_records_the_sha256_of_every_artefact_as_file_sha256()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var result = Build(raster, dir.Path);

        var root = JsonNode.Parse(File.ReadAllText(result.MetadataPath))!;
        var hashes = root["file_sha256"]!.AsObject();

        Assert.Equal(Sha256(result.IndexPath), (string?)hashes[MosaicLayout.IndexFileName]);
        Assert.Equal(Sha256(result.AllEmbeddingsPath), (string?)hashes[MosaicLayout.AllEmbeddingsFileName]);
        Assert.Equal(result.Metadata.FileSizes.Keys.Order(), hashes.Select(p => p.Key).Order());
    }

    [Theory]
    [InlineData(MosaicLayout.IndexFileName)]
    [InlineData(MosaicLayout.AllEmbeddingsFileName)]
    public void A_same_size_corrupt_artefact_is_not_cached_but_rebuilt(string file)
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        var path = Path.Combine(first.Directory, file);
        var length = new FileInfo(path).Length;
        FlipByte(path, length - 3);

        var second = Build(raster, dir.Path);

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
        Assert.Equal(length, new FileInfo(path).Length);
        Assert.Equal(second.Metadata.FileSha256![file], Sha256(path));
    }

    [Fact]
    public void A_corruption_that_keeps_size_and_time_is_found_once_the_stamp_is_gone()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        var written = File.GetLastWriteTimeUtc(first.IndexPath);
        FlipByte(first.IndexPath, new FileInfo(first.IndexPath).Length - 3);
        File.SetLastWriteTimeUtc(first.IndexPath, written);
        File.Delete(Path.Combine(first.Directory, VerificationStamp.FileName));

        var second = Build(raster, dir.Path);

        Assert.Equal(MosaicIndexStatus.Built, second.Status);
    }

    [Fact]
    public void A_repeated_check_trusts_the_stamp_for_a_file_of_unchanged_size_and_time_instead_of_rehashing()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        var written = File.GetLastWriteTimeUtc(first.IndexPath);

        // The cheap path: same size and time as when the stamp was written, so the bytes are not read again.
        FlipByte(first.IndexPath, new FileInfo(first.IndexPath).Length - 3);
        File.SetLastWriteTimeUtc(first.IndexPath, written);
        var second = Build(raster, dir.Path);

        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
    }

    [Fact]
    public void A_viewport_without_checksums_is_still_cached_by_size_and_says_so_in_the_log()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        StripChecksums(first.MetadataPath);
        var log = new ListLogger<MosaicIndexer>();

        var second = new MosaicIndexer(logger: log).Build(raster, MosaicIndexerTests.Options(dir.Path, factor: 2, factory: "Flat"));

        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
        Assert.Null(second.Metadata.FileSha256);
        Assert.Contains(log.Entries, l => l.Level == LogLevel.Warning && l.Message.Contains("no checksums", StringComparison.Ordinal));
    }

    [Fact]
    public void Opening_a_viewport_with_a_same_size_corrupt_embeddings_file_is_an_invalid_viewport()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        FlipByte(first.AllEmbeddingsPath, new FileInfo(first.AllEmbeddingsPath).Length - 5);

        var error = Assert.Throws<ViewportSearchException>(() => ViewportSearcher.Open(first.Directory));

        Assert.Equal(ViewportSearchErrorKind.InvalidViewport, error.Kind);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_viewport_whose_stamp_is_gone_verifies_it_and_writes_a_new_stamp()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        var stamp = Path.Combine(first.Directory, VerificationStamp.FileName);
        File.Delete(stamp);

        using (ViewportSearcher.Open(first.Directory))
        {
        }

        var written = VerificationStamp.Read(first.Directory);
        Assert.True(written.Vouches(MosaicLayout.AllEmbeddingsFileName, new FileInfo(first.AllEmbeddingsPath), first.Metadata.FileSha256![MosaicLayout.AllEmbeddingsFileName]));
        Assert.True(written.Vouches(MosaicLayout.IndexFileName, new FileInfo(first.IndexPath), first.Metadata.FileSha256![MosaicLayout.IndexFileName]));
    }

    [Fact]
    public void Opening_an_old_viewport_without_checksums_works_and_logs_that_sizes_were_checked_only()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        StripChecksums(first.MetadataPath);
        var log = new ListLogger<ViewportSearcher>();

        using var searcher = ViewportSearcher.Open(first.Directory, logger: log);

        Assert.Equal(16, searcher.Width);
        Assert.Contains(log.Entries, l => l.Level == LogLevel.Warning && l.Message.Contains("size only", StringComparison.Ordinal));
    }

    [Fact]
    public void An_all_embeddings_file_that_is_a_symbolic_link_to_the_real_file_is_accepted()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        var first = Build(raster, dir.Path);
        var real = dir.File("elsewhere.npy");
        File.Move(first.AllEmbeddingsPath, real);
        File.CreateSymbolicLink(first.AllEmbeddingsPath, real);
        File.Delete(Path.Combine(first.Directory, VerificationStamp.FileName));

        var second = Build(raster, dir.Path);
        using var searcher = ViewportSearcher.Open(first.Directory);

        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
        Assert.Equal(16 * 16, searcher.PixelCount);
    }

    [Fact]
    public void A_cached_run_removes_a_killed_builds_staging_folder()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        Build(raster, dir.Path);
        var stale = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp.tmp-999999-dead")).FullName;
        File.WriteAllBytes(Path.Combine(stale, MosaicLayout.AllEmbeddingsFileName), new byte[1024]);

        var second = Build(raster, dir.Path);

        Assert.Equal(MosaicIndexStatus.Cached, second.Status);
        Assert.False(Directory.Exists(stale));
    }

    [Fact]
    public void A_build_that_finds_the_viewport_built_once_it_holds_the_lock_removes_stale_folders()
    {
        using var dir = new TempDirectory();
        var stale = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp.tmp-999999-dead")).FullName;
        var otherViewport = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp2.tmp-999999-dead")).FullName;

        var staging = Tessera.Indexing.Mosaics.Building.ViewportLock.Enter(dir.Path, "vp", builtMeanwhile: () => true);

        Assert.Null(staging);
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(otherViewport));
    }

    [Fact]
    public void A_staging_folder_of_a_build_that_holds_the_lock_is_left_alone()
    {
        using var dir = new TempDirectory();
        using var raster = FileBacked(dir, 16, 16);
        Build(raster, dir.Path);
        var live = Directory.CreateDirectory(Path.Combine(dir.Path, ".vp.tmp-1-live")).FullName;

        bool removed;
        using (new FileStream(Path.Combine(dir.Path, ".vp.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            removed = Tessera.Indexing.Mosaics.Building.ViewportStaging.TryRemoveStale(dir.Path, "vp");
        }

        Assert.False(removed);
        Assert.True(Directory.Exists(live));
    }

    private static MosaicIndexResult Build(IRasterSource raster, string root) =>
        MosaicIndexerTests.Build(raster, root, factor: 2, factory: "Flat");

    private static void StripChecksums(string metadataPath)
    {
        var node = JsonNode.Parse(File.ReadAllText(metadataPath))!.AsObject();
        Assert.True(node.Remove("file_sha256"));
        File.WriteAllText(metadataPath, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void FlipByte(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var value = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(value ^ 0x5A));
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static InMemoryRaster<byte> FileBacked(TempDirectory dir, int width, int height) => MosaicCacheTests.FileBacked(dir, width, height);
}
