namespace Tessera.Server.Api;

/// <summary>Resolves a client-supplied path inside a root folder, refusing anything that escapes it (<c>..</c>, absolute paths elsewhere, symbolic links pointing out).</summary>
internal static class ContainedPath
{
    public static bool TryResolve(string root, string? requested, out string fullPath, out string error)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(requested) || requested.Contains('\0'))
        {
            error = "mosaic_path is required.";
            return false;
        }

        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var candidate = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Combine(rootFull, requested));
        if (!IsInside(rootFull, candidate))
        {
            error = "mosaic_path must lie inside the configured mosaics root.";
            return false;
        }

        // Every existing component below the root must not be a link that leads outside it.
        var relative = Path.GetRelativePath(rootFull, candidate);
        var current = rootFull;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsInside(rootFull, Path.GetFullPath(target.FullName)))
                {
                    error = "mosaic_path must lie inside the configured mosaics root (a link leads outside it).";
                    return false;
                }
            }
        }

        fullPath = candidate;
        error = string.Empty;
        return true;
    }

    private static bool IsInside(string root, string path) =>
        path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
