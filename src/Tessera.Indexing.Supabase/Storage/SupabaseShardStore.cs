using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// A shard store in a Supabase Storage bucket, under a prefix: a drop-in for the local store.
/// <list type="bullet">
/// <item>Objects up to <see cref="SupabaseOptions.ResumableThresholdBytes"/> are uploaded in one request; larger
/// ones through the resumable (TUS) endpoint in <see cref="SupabaseOptions.ResumableChunkBytes"/> chunks, resuming
/// from the server's offset after a failure. Objects over the bucket's limit are refused before any byte is sent.</item>
/// <item>Every object gets its SHA-256 (lowercase hex) in its user metadata under <see cref="Sha256MetadataKey"/>;
/// <see cref="GetAsync"/> verifies it and throws <see cref="ShardStoreErrorKind.Corrupt"/> on a mismatch.</item>
/// <item>Mutable objects (<see cref="ShardPutOptions.Mutable"/>) are stored with <c>Cache-Control: no-cache</c>;
/// every read is cache-busted.</item>
/// <item>Transient failures are retried with backoff and jitter; failures become <see cref="ShardStoreException"/>s.</item>
/// </list>
/// </summary>
public sealed partial class SupabaseShardStore : IShardStore
{
    /// <summary>The user-metadata key that holds an object's SHA-256 (64 lowercase hex digits).</summary>
    public const string Sha256MetadataKey = "sha256";

    /// <summary>The <c>Cache-Control</c> stored with mutable objects.</summary>
    public const string MutableCacheControl = "no-cache";

    private readonly SupabaseStorageClient _client;
    private readonly SupabaseOptions _options;
    private readonly SupabaseResumableUploader _resumable;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketChecked;
    private long? _bucketLimit;

    internal SupabaseShardStore(SupabaseStorageClient client, SupabaseOptions options, string bucket, string? prefix, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (!SupabaseStoragePaths.IsValidBucket(bucket))
        {
            throw new ArgumentException($"'{bucket}' is not a valid Supabase Storage bucket name.", nameof(bucket));
        }

        if (!SupabaseStoragePaths.IsValidPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a valid prefix (a relative folder path).", nameof(prefix));
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Bucket = bucket;
        Prefix = SupabaseStoragePaths.NormalizePrefix(prefix);
        _resumable = new SupabaseResumableUploader(client, options, _logger);
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The folder inside the bucket that names are relative to (no leading or trailing '/').</summary>
    public string Prefix { get; }

    /// <inheritdoc />
    /// <remarks><c>supabase://bucket/prefix</c>: no project URL, no key.</remarks>
    public string Location => SupabaseStoreLocation.Format(Bucket, Prefix);

    /// <summary>The largest object this store sends: <see cref="SupabaseOptions.MaxObjectBytes"/>, or the bucket's smaller limit once known.</summary>
    public long MaxObjectBytes => _bucketLimit is { } limit && limit < _options.MaxObjectBytes ? limit : _options.MaxObjectBytes;

    /// <inheritdoc />
    public async Task<ShardObjectInfo> PutAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await PutCoreAsync(name, content, options ?? new ShardPutOptions(), cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (e.ObjectName is not null && e.ObjectName != name)
        {
            throw Renamed(e, name);
        }
    }

    private async Task<ShardObjectInfo> PutCoreAsync(string name, ReadOnlyMemory<byte> content, ShardPutOptions options, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        if (content.Length > MaxObjectBytes)
        {
            throw TooLarge(name, content.Length);
        }

        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        if (content.Length > MaxObjectBytes)
        {
            throw TooLarge(name, content.Length);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.Metadata is not null)
        {
            foreach (var (key, value) in options.Metadata)
            {
                metadata[key] = value;
            }
        }

        if (metadata.TryGetValue(Sha256MetadataKey, out var given) && !string.Equals(given, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The metadata of '{name}' says sha256 {given}, but its bytes hash to {sha256}.", nameof(options));
        }

        metadata[Sha256MetadataKey] = sha256;
        var contentType = options.ContentType ?? GuessContentType(name);
        var cacheControl = options.Mutable ? MutableCacheControl : _options.ImmutableCacheControl;

        if (content.Length > _options.ResumableThresholdBytes)
        {
            await _resumable.UploadAsync(Bucket, path, content, sha256, contentType, cacheControl, options.Overwrite, metadata, cancellationToken).ConfigureAwait(false);
        }
        else if (await _client.UploadAsync(Bucket, path, content, contentType, cacheControl, options.Overwrite, metadata, cancellationToken).ConfigureAwait(false))
        {
            // The create's first attempt reached the server but its answer was lost, so the retry met a
            // duplicate: the same bytes stored are a success, anything else is a real conflict.
            var existing = await _client.GetInfoAsync(Bucket, path, cancellationToken).ConfigureAwait(false);
            if (existing is null || !existing.Metadata.TryGetValue(Sha256MetadataKey, out var stored) || stored != sha256)
            {
                throw new ShardStoreException(ShardStoreErrorKind.AlreadyExists, name, $"'{name}' already exists in {Location} and overwriting was not asked for.");
            }

            LogIdenticalExists(_logger, name);
        }

        LogStored(_logger, name, content.Length, Location);
        return new ShardObjectInfo(name, content.Length, DateTimeOffset.UtcNow, contentType, metadata);
    }

    /// <inheritdoc />
    public async Task<ShardBlob?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetCoreAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (e.ObjectName is not null && e.ObjectName != name)
        {
            throw Renamed(e, name);
        }
    }

    private async Task<ShardBlob?> GetCoreAsync(string name, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        for (var attempt = 1; ; attempt++)
        {
            var info = await _client.GetInfoAsync(Bucket, path, cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                return null;
            }

            var download = await _client.DownloadAsync(Bucket, path, cancellationToken).ConfigureAwait(false);
            if (download is null)
            {
                return null;
            }

            if (!info.Metadata.TryGetValue(Sha256MetadataKey, out var expected))
            {
                return new ShardBlob(ToInfo(name, info, download.Content.Length), download.Content);
            }

            var actual = Convert.ToHexStringLower(SHA256.HashData(download.Content));
            if (string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                return new ShardBlob(ToInfo(name, info, download.Content.Length), download.Content);
            }

            // A mutable object may have been replaced between the two reads: read both again once.
            if (attempt >= 2)
            {
                throw new ShardStoreException(
                    ShardStoreErrorKind.Corrupt,
                    name,
                    $"'{name}' in {Location} hashes to {actual}, but its metadata says {expected}.");
            }
        }
    }

    /// <inheritdoc />
    public async Task<ShardObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var info = await _client.GetInfoAsync(Bucket, PathOf(name), cancellationToken).ConfigureAwait(false);
            return info is null ? null : ToInfo(name, info, info.Size);
        }
        catch (ShardStoreException e) when (e.ObjectName is not null && e.ObjectName != name)
        {
            throw Renamed(e, name);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Supabase lists one folder level at a time (folders come back as entries with a null id), 100 entries per
    /// page by default; this walks the folders the prefix spans, pages through each, and yields files in ordinal name order.
    /// </remarks>
    public async IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // "runs/x" + "" lists the folder "runs/x/"; "runs/x" + "clip_" lists names starting "runs/x/clip_".
        var full = SupabaseStoragePaths.Join(Prefix, prefix);

        var slash = full.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : full[..slash];
        var search = full[(slash + 1)..];
        await foreach (var entry in WalkAsync(folder, search, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Path.StartsWith(full, StringComparison.Ordinal))
            {
                var relative = Prefix.Length == 0 ? entry.Path : entry.Path[(Prefix.Length + 1)..];
                yield return new ShardObjectInfo(relative, entry.Size, entry.UpdatedAt, entry.ContentType);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>When an attempt's answer is lost and the retry finds nothing, the object is gone but the result is <see langword="false"/>.</remarks>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.DeleteAsync(Bucket, PathOf(name), cancellationToken).ConfigureAwait(false);
        }
        catch (ShardStoreException e) when (e.ObjectName is not null && e.ObjectName != name)
        {
            throw Renamed(e, name);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Location;

    private async IAsyncEnumerable<(string Path, long Size, DateTimeOffset? UpdatedAt, string? ContentType)> WalkAsync(
        string folder, string search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = new List<StorageListEntry>();
        var seen = new HashSet<(string, bool)>();
        var pageSize = _options.ListPageSize;
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await _client.ListPageAsync(Bucket, folder, search, pageSize, offset, cancellationToken).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (seen.Add((entry.Name, entry.IsFolder)))
                {
                    entries.Add(entry);
                }
            }

            if (page.Count < pageSize)
            {
                break;
            }
        }

        // Ordinal order of full names: a folder's contents all start with "folder/", so it sorts as that.
        entries.Sort(static (a, b) => string.CompareOrdinal(SortKey(a), SortKey(b)));
        foreach (var entry in entries)
        {
            var path = SupabaseStoragePaths.Join(folder, entry.Name);
            if (entry.IsFolder)
            {
                await foreach (var inner in WalkAsync(path, string.Empty, cancellationToken).ConfigureAwait(false))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (path, entry.Size, entry.UpdatedAt, entry.ContentType);
            }
        }
    }

    private static string SortKey(StorageListEntry entry) => entry.IsFolder ? entry.Name + "/" : entry.Name;

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketChecked)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketChecked)
            {
                return;
            }

            StorageBucketInfo? bucket;
            try
            {
                bucket = await _client.GetBucketAsync(Bucket, cancellationToken).ConfigureAwait(false);
            }
            catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.Unauthorized)
            {
                // A key that may write objects but not read bucket settings: go on and let the upload tell.
                LogBucketUnreadable(_logger, Bucket);
                _bucketChecked = true;
                return;
            }

            if (bucket is null)
            {
                if (!_options.CreateBucketIfMissing)
                {
                    throw new ShardStoreException(ShardStoreErrorKind.NotFound, null, $"The Supabase Storage bucket '{Bucket}' does not exist (Supabase:CreateBucketIfMissing is off).");
                }

                await _client.CreateBucketAsync(Bucket, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _bucketLimit = bucket.FileSizeLimit;
            }

            _bucketChecked = true;
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    private ShardStoreException TooLarge(string name, long length) => new(
        ShardStoreErrorKind.TooLarge,
        name,
        $"'{name}' is {length:N0} bytes, over the {MaxObjectBytes:N0}-byte object limit of {Location} (Supabase:MaxObjectBytes or the bucket's file_size_limit); it was not uploaded. Make shards smaller.");

    /// <summary>The same failure, named by the store's name for the object rather than its path in the bucket.</summary>
    private static ShardStoreException Renamed(ShardStoreException e, string name) => new(e.Kind, name, e.Message, e);

    private string PathOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SupabaseStoragePaths.IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid object name (non-empty segments separated by '/', none '.' or '..').", nameof(name));
        }

        return SupabaseStoragePaths.Join(Prefix, name);
    }

    private static ShardObjectInfo ToInfo(string name, StorageObjectDescription info, long length) =>
        new(name, length, info.LastModified, info.ContentType, info.Metadata);

    private static string GuessContentType(string name) =>
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json"
        : name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? "application/x-ndjson"
        : "application/octet-stream";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Name} ({Length} bytes) in {Location}")]
    private static partial void LogStored(ILogger logger, string name, long length, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name} already held the same bytes after a retried create; treating it as stored")]
    private static partial void LogIdenticalExists(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key may not read the settings of bucket {Bucket}; uploading without checking it")]
    private static partial void LogBucketUnreadable(ILogger logger, string bucket);
}
