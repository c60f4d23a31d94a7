using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Uploads one large object through Supabase's TUS endpoint in fixed-size chunks. When a chunk fails
/// transiently (dropped connection, timeout, 5xx), it asks the server for its offset (<c>HEAD</c>) after a
/// backoff and goes on from there, so bytes the server already has are not sent again. Upload URLs are
/// remembered per object and content, so a later call for the same bytes resumes an upload a failed call left.
/// </summary>
internal sealed partial class SupabaseResumableUploader(SupabaseStorageClient client, SupabaseOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Bucket, string Path, string Sha256, long Length), Uri> _openUploads = new();

    public async Task UploadAsync(
        string bucket, string path, ReadOnlyMemory<byte> content, string sha256, string contentType, string cacheControl,
        bool upsert, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var key = (bucket, path, sha256, (long)content.Length);
        long offset = -1;
        Uri? upload = null;
        if (_openUploads.TryGetValue(key, out var known))
        {
            var serverOffset = await client.GetResumableOffsetAsync(known, path, cancellationToken).ConfigureAwait(false);
            if (serverOffset is { } o && o <= content.Length)
            {
                upload = known;
                offset = o;
                LogResuming(logger, path, o, content.Length);
            }
            else
            {
                _openUploads.TryRemove(key, out _);
            }
        }

        if (upload is null)
        {
            upload = await client.CreateResumableUploadAsync(bucket, path, content.Length, contentType, cacheControl, upsert, metadata, cancellationToken).ConfigureAwait(false);
            _openUploads[key] = upload;
            offset = 0;
        }

        var failures = 0;
        var chunkSize = options.ResumableChunkBytes;
        while (offset < content.Length)
        {
            var length = (int)Math.Min(chunkSize, content.Length - offset);
            try
            {
                var next = await client.PatchResumableAsync(upload, path, offset, content.Slice((int)offset, length), cancellationToken).ConfigureAwait(false);
                if (next <= offset || next > content.Length)
                {
                    throw new ShardStoreException(ShardStoreErrorKind.Other, path, $"Supabase Storage moved the upload offset of '{path}' from {offset} to {next}.");
                }

                offset = next;
                failures = 0;
                continue;
            }
            catch (ShardStoreException e) when (e.Kind is ShardStoreErrorKind.Unavailable or ShardStoreErrorKind.AlreadyExists or ShardStoreErrorKind.NotFound)
            {
                // Unavailable: the chunk was lost in transit or the server failed. AlreadyExists (409) from a
                // PATCH is TUS's offset conflict; NotFound (404/410) an expired upload. All resume from the server's state.
                failures++;
                if (failures > options.Retry.MaxRetryAttempts)
                {
                    throw new ShardStoreException(ShardStoreErrorKind.Unavailable, path, $"The resumable upload of '{path}' stalled at byte {offset} of {content.Length}: {e.Message}", e);
                }

                LogChunkFailed(logger, path, offset, failures, e.Kind);
            }

            await Task.Delay(Backoff(failures), cancellationToken).ConfigureAwait(false);
            var serverOffset = await client.GetResumableOffsetAsync(upload, path, cancellationToken).ConfigureAwait(false);
            if (serverOffset is null)
            {
                upload = await client.CreateResumableUploadAsync(bucket, path, content.Length, contentType, cacheControl, upsert, metadata, cancellationToken).ConfigureAwait(false);
                _openUploads[key] = upload;
                offset = 0;
            }
            else
            {
                offset = Math.Min(serverOffset.Value, content.Length);
            }
        }

        _openUploads.TryRemove(key, out _);
    }

    private TimeSpan Backoff(int failures)
    {
        var retry = options.Retry;
        var exponential = retry.BaseDelay.TotalMilliseconds * Math.Pow(2, failures - 1);
        var capped = Math.Min(exponential, retry.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the upload of {Path} at byte {Offset} of {Length}")]
    private static partial void LogResuming(ILogger logger, string path, long offset, long length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A chunk of {Path} at byte {Offset} failed ({Kind}, failure {Failures}); asking the server for its offset")]
    private static partial void LogChunkFailed(ILogger logger, string path, long offset, int failures, ShardStoreErrorKind kind);
}
