namespace Tessera.Indexing.Interop.Common;

/// <summary>Where the dynamic linker loaded a library from, read from the process's own memory map (Linux).</summary>
internal static class LoadedLibraries
{
    /// <summary>
    /// The full path of the first mapped file whose name starts with <paramref name="fileNamePrefix"/>
    /// (for example <c>libgdal.so</c>), or <see langword="null"/> when none is mapped or the map cannot be read.
    /// </summary>
    /// <param name="fileNamePrefix">The start of the library's file name.</param>
    /// <returns>The path, or <see langword="null"/>.</returns>
    public static string? FindPath(string fileNamePrefix)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    continue;
                }

                var path = line[slash..].TrimEnd();
                if (Path.GetFileName(path).StartsWith(fileNamePrefix, StringComparison.Ordinal))
                {
                    return path;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
