using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Tessera.Indexing.Storage;

/// <summary>
/// A shard store in a local folder (or any mounted file system). Object <c>a/b.index</c> is the file
/// <c>{root}/a/b.index</c>; its content type and metadata live in a sidecar
/// <c>{root}/.meta/a/b.index.json</c>. Every write goes to a temporary file in the target's folder and
/// is renamed over the target, so a reader never sees a half-written object and a crash leaves
/// either the old or the new version.
/// </summary>
/// <remarks>
/// Thread-safe, and safe for several processes writing different objects (for example one per
/// partition). Temporary files a crashed process left behind are removed on the first write
/// (those of a dead process on this host, or older than a day).
/// </remarks>
public sealed class LocalShardStore : IShardStore
{
    private const string MetaFolder = ".meta";
    private const string TempSuffix = ".tmp";
    private readonly string _root;
    private readonly string _tempTag;
    private int _cleaned;

    /// <summary>Opens (and creates, on the first write) the store in <paramref name="root"/>.</summary>
    /// <param name="root">The folder.</param>
    public LocalShardStore(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.GetFullPath(root);
        _tempTag = $"{SafeHostName()}.{Environment.ProcessId}";
    }

    /// <summary>The store's folder.</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    public string Location => new Uri(_root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar).AbsoluteUri;

    /// <inheritdoc />
    public async Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        options ??= new ShardPutOptions();
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _cleaned, 1) == 0)
        {
            RemoveStaleTemporaryFiles();
        }

        if (!options.Overwrite && File.Exists(path))
        {
            throw new ShardStoreException(ShardStoreErrorKind.AlreadyExists, name, $"'{name}' already exists in {Location}.");
        }

        try
        {
            var meta = new Sidecar(options.ContentType, options.Metadata?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
            var metaPath = MetaPathOf(name);
            if (meta.ContentType is not null || meta.Metadata is { Count: > 0 })
            {
                await WriteAtomicallyAsync(metaPath, JsonSerializer.SerializeToUtf8Bytes(meta, SidecarJson), overwrite: true, cancellationToken).ConfigureAwait(false);
            }
            else if (File.Exists(metaPath))
            {
                File.Delete(metaPath);
            }

            await WriteAtomicallyAsync(path, content, options.Overwrite, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (!options.Overwrite && File.Exists(path))
        {
            throw new ShardStoreException(ShardStoreErrorKind.AlreadyExists, name, $"'{name}' already exists in {Location}.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Unauthorized, name, $"Cannot write '{name}' in {Location}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Other, name, $"Cannot write '{name}' in {Location}: {e.Message}", e);
        }

        return Describe(name, new FileInfo(path), options.ContentType, options.Metadata);
    }

    /// <inheritdoc />
    public async Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Unauthorized, name, $"Cannot read '{name}' in {Location}: {e.Message}", e);
        }

        var info = await GetInfoAsync(name, cancellationToken).ConfigureAwait(false);
        return new ShardBlob((info ?? new ShardObjectInfo(name, bytes.Length)) with { Length = bytes.Length }, bytes);
    }

    /// <inheritdoc />
    public async Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(name));
        if (!file.Exists)
        {
            return null;
        }

        var sidecar = await ReadSidecarAsync(name, cancellationToken).ConfigureAwait(false);
        return Describe(name, file, sidecar?.ContentType, sidecar?.Metadata);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.Yield();
        if (!Directory.Exists(_root))
        {
            yield break;
        }

        // Start from the deepest folder the prefix names, so listing one partition does not walk the others.
        var slash = prefix.LastIndexOf('/');
        var start = slash < 0 ? _root : Path.Combine(_root, prefix[..slash].Replace('/', Path.DirectorySeparatorChar));
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var names = new List<(string Name, FileInfo File)>();
        foreach (var file in new DirectoryInfo(start).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetRelativePath(_root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (IsHidden(name) || !name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            names.Add((name, file));
        }

        names.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var (name, file) in names)
        {
            var sidecar = await ReadSidecarAsync(name, cancellationToken).ConfigureAwait(false);
            yield return Describe(name, file, sidecar?.ContentType, sidecar?.Metadata);
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        cancellationToken.ThrowIfCancellationRequested();
        var existed = File.Exists(path);
        try
        {
            File.Delete(path);
            File.Delete(MetaPathOf(name));
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ShardStoreException(ShardStoreErrorKind.Unauthorized, name, $"Cannot delete '{name}' in {Location}: {e.Message}", e);
        }

        return Task.FromResult(existed);
    }

    /// <summary>
    /// Removes temporary files that crashed writers left: those of processes on this host that no longer
    /// run, and any older than a day.
    /// </summary>
    /// <returns>The number of files removed.</returns>
    public int RemoveStaleTemporaryFiles()
    {
        if (!Directory.Exists(_root))
        {
            return 0;
        }

        var removed = 0;
        var host = SafeHostName();
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles("*" + TempSuffix, SearchOption.AllDirectories))
        {
            // .{file}.{host}.{pid}.{guid}.tmp
            var parts = file.Name.Split('.');
            var stale = file.LastWriteTimeUtc < DateTime.UtcNow.AddDays(-1);
            if (!stale && parts.Length >= 5 && parts[^4] == host && int.TryParse(parts[^3], out var pid) && pid != Environment.ProcessId)
            {
                stale = !IsRunning(pid);
            }

            if (stale)
            {
                try
                {
                    file.Delete();
                    removed++;
                }
                catch (IOException)
                {
                }
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, bool overwrite, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{_tempTag}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private async Task<Sidecar?> ReadSidecarAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(MetaPathOf(name), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize<Sidecar>(bytes, SidecarJson);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ShardObjectInfo Describe(string name, FileInfo file, string? contentType, IReadOnlyDictionary<string, string>? metadata) =>
        new(name, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), contentType, metadata);

    private string PathOf(string name)
    {
        ValidateName(name);
        return Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar));
    }

    private string MetaPathOf(string name) => Path.Combine(_root, MetaFolder, name.Replace('/', Path.DirectorySeparatorChar) + ".json");

    private static bool IsHidden(string name)
    {
        foreach (var segment in name.Split('/'))
        {
            if (segment.StartsWith('.'))
            {
                return true;
            }
        }

        return false;
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.StartsWith('/') || name.EndsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid object name: use '/'-separated relative names.", nameof(name));
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment.StartsWith('.'))
            {
                throw new ArgumentException($"'{name}' is not a valid object name: empty, '.', '..' and hidden ('.x') segments are not allowed.", nameof(name));
            }
        }
    }

    private static string SafeHostName()
    {
        var host = Environment.MachineName;
        return string.Concat(host.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-'));
    }

    /// <summary>camelCase, nulls left out: the sidecar format every earlier store wrote.</summary>
    private static readonly JsonSerializerOptions SidecarJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record Sidecar(string? ContentType, Dictionary<string, string>? Metadata);
}
