using Tessera.Indexing.Faiss;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Turns the I/O and index-writer failures of a build into <see cref="MosaicIndexException"/>s,
/// telling a full disk (<see cref="MosaicIndexErrorKind.DiskFull"/>) from other failures.
/// </summary>
internal static class DiskSpaceGuard
{
    /// <summary>Maps a file-system failure while writing viewport <paramref name="viewportId"/> under <paramref name="root"/>.</summary>
    public static MosaicIndexException FromIo(Exception e, string viewportId, string root)
    {
        var full = e is IOException io && IsDiskFull(io);
        return full
            ? new MosaicIndexException(MosaicIndexErrorKind.DiskFull, $"Not enough disk space to write viewport '{viewportId}' in '{root}' ({e.Message}). Nothing was left behind; free some space or choose another output folder.", e)
            : new MosaicIndexException(MosaicIndexErrorKind.Io, $"Writing viewport '{viewportId}' in '{root}' failed: {e.Message}", e);
    }

    /// <summary>Maps a failure of the index library (FAISS reports a full disk only in its message).</summary>
    public static MosaicIndexException FromIndex(FaissException e, string viewportId, string root)
    {
        var full = e.NativeMessage.Contains("No space left", StringComparison.OrdinalIgnoreCase);
        return new MosaicIndexException(
            full ? MosaicIndexErrorKind.DiskFull : MosaicIndexErrorKind.IndexBuildFailed,
            full ? $"Not enough disk space to write viewport '{viewportId}' in '{root}': {e.Message}" : $"Building the index of viewport '{viewportId}' failed: {e.Message}",
            e);
    }

    private static bool IsDiskFull(IOException e)
    {
        const int enospc = 28;
        const int errorDiskFull = 0x70;
        const int errorHandleDiskFull = 0x27;
        var code = e.HResult & 0xFFFF;
        return e.HResult == enospc || code == errorDiskFull || code == errorHandleDiskFull
            || e.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
    }
}
