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
/// <item>Transient failures are retried with backoff and jitter; failures become <see cref="ShardStoreException"/>s
/// carrying the server's status and message.</item>
/// <item>A bucket that does not exist is not an empty store: Storage lists it as <c>[]</c> and finds no object in it,
/// so when a read (list, get, describe) finds nothing the store asks for the bucket (once; <c>GET /bucket/{id}</c>) and throws
/// <see cref="ShardStoreErrorKind.StoreNotFound"/> when it is missing. A key whose role is not <c>service_role</c>
/// (an <c>anon</c> or <c>sb_publishable_</c> key) is shown no bucket by row-level security without a policy, so
/// for it a missing bucket is <see cref="ShardStoreErrorKind.Unauthorized"/>. Writes create a missing bucket when
/// <see cref="SupabaseOptions.CreateBucketIfMissing"/> is on.</item>
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
    private volatile bool _bucketKnown;
    private long? _bucketLimit;

    internal SupabaseShardStore(SupabaseStorageClient client, SupabaseOptions options, string bucket, string? prefix, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (SupabaseStoragePaths.BucketProblem(bucket) is { } bucketProblem)
        {
            throw new ArgumentException($"'{bucket}' is not a bucket name Supabase Storage accepts: {bucketProblem}.", nameof(bucket));
        }

        if (SupabaseStoragePaths.PrefixProblem(prefix) is { } prefixProblem)
        {
            throw new ArgumentException($"'{prefix}' is not a folder path Supabase Storage accepts: {prefixProblem}.", nameof(prefix));
        }

        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Bucket = bucket;
        Prefix = SupabaseStoragePaths.NormalizePrefix(prefix);
        Location = SupabaseKey.Redact(SupabaseStoreLocation.Format(Bucket, Prefix), _options.Key);
        _resumable = new SupabaseResumableUploader(client, options, _logger);
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The folder inside the bucket that names are relative to (no leading or trailing '/').</summary>
    public string Prefix { get; }

    /// <inheritdoc />
    /// <remarks><c>supabase://bucket/prefix</c>: no project URL, no key (a key pasted into the prefix is masked).</remarks>
    public string Location { get; }

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

        await ResolveBucketAsync(forWrite: true, cancellationToken).ConfigureAwait(false);
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
            var existing = await DescribeAsync(path, cancellationToken).ConfigureAwait(false);
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
            var info = await DescribeAsync(path, cancellationToken).ConfigureAwait(false);
            if (info is null)
            {
                return null;
            }

            StorageDownload? download;
            try
            {
                download = await _client.DownloadAsync(Bucket, path, cancellationToken).ConfigureAwait(false);
            }
            catch (SupabaseStorageException e) when (e.IsBucketNotFound)
            {
                // Deleted between the two reads.
                _bucketKnown = false;
                await ResolveBucketAsync(forWrite: false, cancellationToken).ConfigureAwait(false);
                download = null;
            }

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
            var info = await DescribeAsync(PathOf(name), cancellationToken).ConfigureAwait(false);
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
    /// A listing that finds nothing asks for the bucket (once per store), since a missing bucket lists as empty too.
    /// </remarks>
    public async IAsyncEnumerable<ShardObjectInfo> ListAsync(string prefix = "", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // "runs/x" + "" lists the folder "runs/x/"; "runs/x" + "clip_" lists names starting "runs/x/clip_".
        var full = SupabaseStoragePaths.Join(Prefix, prefix);

        var slash = full.LastIndexOf('/');
        var folder = slash < 0 ? string.Empty : full[..slash];
        var search = full[(slash + 1)..];
        var found = false;
        await foreach (var entry in WalkAsync(folder, search, cancellationToken).ConfigureAwait(false))
        {
            found = true;
            if (entry.Path.StartsWith(full, StringComparison.Ordinal))
            {
                var relative = Prefix.Length == 0 ? entry.Path : entry.Path[(Prefix.Length + 1)..];
                yield return new ShardObjectInfo(relative, entry.Size, entry.UpdatedAt, entry.ContentType);
            }
        }

        if (!found)
        {
            await ResolveBucketAsync(forWrite: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// When an attempt's answer is lost and the retry finds nothing, the object is gone but the result is <see langword="false"/>.
    /// Deleting from a bucket that does not exist deletes nothing (<see langword="false"/>); so does deleting what
    /// row-level security hides from the key.
    /// </remarks>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _client.DeleteAsync(Bucket, PathOf(name), cancellationToken).ConfigureAwait(false);
        }
        catch (SupabaseStorageException e) when (e.IsBucketNotFound)
        {
            return false;
        }
        catch (ShardStoreException e) when (e.ObjectName is not null && e.ObjectName != name)
        {
            throw Renamed(e, name);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Location;

    /// <summary>
    /// Makes sure the bucket exists (asking once per store, <c>GET /bucket/{id}</c>, and creating it for a write when
    /// <see cref="SupabaseOptions.CreateBucketIfMissing"/> is on), reading its size limit.
    /// </summary>
    /// <exception cref="ShardStoreException">
    /// <see cref="ShardStoreErrorKind.StoreNotFound"/>: the bucket does not exist (and is not to be created);
    /// <see cref="ShardStoreErrorKind.Unauthorized"/>: the key's role (not <c>service_role</c>) is shown no such bucket.
    /// </exception>
    private async Task ResolveBucketAsync(bool forWrite, CancellationToken cancellationToken)
    {
        if (_bucketKnown)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketKnown)
            {
                return;
            }

            ShardStoreException missing;
            try
            {
                var bucket = await _client.GetBucketAsync(Bucket, cancellationToken).ConfigureAwait(false);
                _bucketLimit = bucket.FileSizeLimit;
                _bucketKnown = true;
                return;
            }
            catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.Unauthorized && forWrite)
            {
                // A key that may write objects but not read bucket settings: go on and let the upload tell.
                LogBucketUnreadable(_logger, Bucket);
                _bucketKnown = true;
                return;
            }
            catch (ShardStoreException e) when (e.Kind == ShardStoreErrorKind.NotFound)
            {
                missing = e;
            }

            var role = SupabaseKey.Role(_options.Key);
            if (role is not null && role != SupabaseKey.ServiceRole)
            {
                throw new ShardStoreException(
                    ShardStoreErrorKind.Unauthorized,
                    null,
                    $"Supabase Storage shows no bucket '{Bucket}' to this key (role '{role}'): row-level security hides buckets and objects from that role "
                    + $"unless a policy grants them, or the bucket does not exist. A shard store needs a key that may see its bucket and objects: a service_role "
                    + $"or sb_secret key (Supabase:Key), or policies for '{role}' on storage.buckets and storage.objects. {missing.Message}",
                    missing);
            }

            if (!forWrite || !_options.CreateBucketIfMissing)
            {
                var why = _options.CreateBucketIfMissing
                    ? $"; {Location} holds nothing yet (a build creates the bucket with its first upload)"
                    : " (Supabase:CreateBucketIfMissing is off, so nothing creates it)";
                throw new ShardStoreException(ShardStoreErrorKind.StoreNotFound, null, $"The Supabase Storage bucket '{Bucket}' does not exist{why}. {missing.Message}", missing);
            }

            await _client.CreateBucketAsync(Bucket, null, cancellationToken).ConfigureAwait(false);
            _bucketKnown = true;
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

    /// <summary>The object's key in the bucket, checked against Supabase Storage's key rules before any request.</summary>
    private string PathOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var path = SupabaseStoragePaths.Join(Prefix, name);
        // The name alone, then the whole key (its length).
        if ((SupabaseStoragePaths.KeyProblem(name) ?? SupabaseStoragePaths.KeyProblem(path)) is { } problem)
        {
            throw new ArgumentException($"'{name}' cannot be stored in Supabase Storage (as '{path}'): {problem}.", nameof(name));
        }

        return path;
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
