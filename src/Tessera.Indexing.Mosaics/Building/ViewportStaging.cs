using System.Diagnostics;
using System.Globalization;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Builds a viewport folder safely: an exclusive lock per viewport (<c>{root}/.{id}.lock</c>), a staging
/// folder beside the target (<c>{root}/.{id}.tmp-{pid}-{guid}</c>) that is renamed into place only when
/// complete, replacing an existing folder by moving it aside first (<c>.{id}.old-{guid}</c>) and deleting
/// it after. A build that dies leaves only hidden folders, which the next build of the viewport removes.
/// </summary>
internal sealed class ViewportStaging : IDisposable
{
    private readonly FileStream _lock;
    private bool _committed;

    private ViewportStaging(string root, string viewportId, FileStream lockStream)
    {
        Root = root;
        ViewportId = viewportId;
        _lock = lockStream;
        Target = Path.Combine(root, viewportId);
        StagingDirectory = Path.Combine(root, $".{viewportId}.tmp-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
    }

    public string Root { get; }

    public string ViewportId { get; }

    public string Target { get; }

    public string StagingDirectory { get; }

    /// <summary>Takes the viewport's lock (creating <paramref name="root"/> if needed); throws <see cref="MosaicIndexException"/> (Busy) when another build holds it.</summary>
    public static FileStream AcquireLock(string root, string viewportId)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, $".{viewportId}.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, released when the process dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.Busy, $"Another build of viewport '{viewportId}' in '{root}' is running (its lock '{path}' is held).", e);
        }
    }

    /// <summary>Creates the staging folder under an already acquired lock, after removing stale build folders.</summary>
    public static ViewportStaging Begin(string root, string viewportId, FileStream lockStream)
    {
        RemoveStale(root, viewportId);
        var staging = new ViewportStaging(root, viewportId, lockStream);
        Directory.CreateDirectory(staging.StagingDirectory);
        return staging;
    }

    /// <summary>
    /// Removes stale build folders of the viewport when no build of it is running (its lock can be
    /// taken without waiting); does nothing while one is. Used by builds that find the viewport cached,
    /// so that a killed build's staging folder does not outlive it.
    /// </summary>
    /// <param name="root">The output root.</param>
    /// <param name="viewportId">The viewport.</param>
    /// <returns>Whether the lock could be taken (and stale folders were removed).</returns>
    public static bool TryRemoveStale(string root, string viewportId)
    {
        FileStream lockStream;
        try
        {
            lockStream = AcquireLock(root, viewportId);
        }
        catch (Exception e) when (e is MosaicIndexException or IOException or UnauthorizedAccessException)
        {
            return false;
        }

        using (lockStream)
        {
            RemoveStaleQuietly(root, viewportId);
        }

        return true;
    }

    /// <summary>Removes stale build folders of the viewport under a lock the caller holds; a folder that cannot be listed or removed is left.</summary>
    /// <param name="root">The output root.</param>
    /// <param name="viewportId">The viewport.</param>
    public static void RemoveStaleQuietly(string root, string viewportId)
    {
        try
        {
            RemoveStale(root, viewportId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Debug.WriteLine($"Could not list '{root}': {e.Message}");
        }
    }

    public string StagingFile(string name) => Path.Combine(StagingDirectory, name);

    /// <summary>Moves the staging folder into place, replacing any existing viewport folder.</summary>
    public void Commit()
    {
        string? aside = null;
        if (Directory.Exists(Target))
        {
            aside = Path.Combine(Root, $".{ViewportId}.old-{Guid.NewGuid():N}");
            Directory.Move(Target, aside);
        }
        else if (File.Exists(Target))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.Io, $"'{Target}' exists and is a file, not a viewport folder; remove it first.");
        }

        Directory.Move(StagingDirectory, Target);
        _committed = true;
        if (aside is not null)
        {
            TryDelete(aside);
        }
    }

    /// <summary>Removes the staging folder unless committed, and releases the lock.</summary>
    public void Dispose()
    {
        if (!_committed)
        {
            TryDelete(StagingDirectory);
        }

        _lock.Dispose();
    }

    private static void RemoveStale(string root, string viewportId)
    {
        var temporary = $".{viewportId}.tmp-";
        var aside = $".{viewportId}.old-";
        foreach (var directory in Directory.EnumerateDirectories(root, ".*"))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith(temporary, StringComparison.Ordinal) || name.StartsWith(aside, StringComparison.Ordinal))
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException e)
        {
            Debug.WriteLine($"Could not delete '{directory}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            Debug.WriteLine($"Could not delete '{directory}': {e.Message}");
        }
    }
}
