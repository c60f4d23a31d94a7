namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Enters a viewport for building: takes its exclusive lock (a second build of the same viewport
/// fails with <see cref="MosaicIndexErrorKind.Busy"/>), asks once more whether it is already built
/// (another build may have finished while this one waited), and opens the staging folder.
/// </summary>
internal static class ViewportLock
{
    /// <summary>The locked staging folder, or <see langword="null"/> (lock released) when <paramref name="builtMeanwhile"/> says there is nothing to do.</summary>
    /// <param name="root">The output root.</param>
    /// <param name="viewportId">The viewport.</param>
    /// <param name="builtMeanwhile">Checked under the lock.</param>
    /// <returns>The staging folder, which holds the lock until disposed.</returns>
    public static ViewportStaging? Enter(string root, string viewportId, Func<bool> builtMeanwhile)
    {
        FileStream lockStream;
        try
        {
            lockStream = ViewportStaging.AcquireLock(root, viewportId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DiskSpaceGuard.FromIo(e, viewportId, root);
        }

        try
        {
            if (builtMeanwhile())
            {
                // Built by another process meanwhile: clear what a killed build left, under this lock.
                ViewportStaging.RemoveStaleQuietly(root, viewportId);
                lockStream.Dispose();
                return null;
            }

            return ViewportStaging.Begin(root, viewportId, lockStream);
        }
        catch (Exception e)
        {
            lockStream.Dispose();
            if (e is IOException or UnauthorizedAccessException)
            {
                throw DiskSpaceGuard.FromIo(e, viewportId, root);
            }

            throw;
        }
    }
}
