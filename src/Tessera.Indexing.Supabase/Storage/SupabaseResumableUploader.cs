using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Storage;
using Tessera.Indexing.Supabase.Configuration;

namespace Tessera.Indexing.Supabase.Storage;

/// <summary>
/// Uploads one large object through Supabase's TUS endpoint in fixed-size chunks, every request carrying the
/// caller's <c>x-upsert</c> (Storage checks it on each one). When a chunk fails transiently (dropped connection,
/// timeout, 5xx) or meets an offset conflict (409 with the server at another offset), it asks the server for its
/// offset (<c>HEAD</c>) after a backoff and goes on from there, so bytes the server already has are not sent again.
/// A 409 with the server at the same offset is the server refusing the write (the object exists and overwriting was
/// not asked for) and fails at once with its message. An upload that expired (404/410) is started again; one the
/// server does not know right after creating it is started again once, then the server's answer is the error.
/// Upload URLs are remembered per object and content, so a later call for the same bytes resumes an upload a failed call left.
/// </summary>
internal sealed partial class SupabaseResumableUploader(SupabaseStorageClient client, SupabaseOptions options, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Bucket, string Path, string Sha256, long Length, bool Upsert), Uri> _openUploads = new();

    public async Task UploadAsync(
        string bucket, string path, ReadOnlyMemory<byte> content, string sha256, string contentType, string cacheControl,
        bool upsert, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var key = (bucket, path, sha256, (long)content.Length, upsert);
        long offset = -1;
        Uri? upload = null;
        var confirmed = false;
        if (_openUploads.TryGetValue(key, out var known))
        {
            var serverOffset = await client.GetResumableOffsetAsync(known, path, upsert, cancellationToken).ConfigureAwait(false);
            if (serverOffset is { } o && o <= content.Length)
            {
                upload = known;
                offset = o;
                confirmed = true;
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
        var unknownRestarts = 0;
        var chunkSize = options.ResumableChunkBytes;
        while (offset < content.Length)
        {
            var length = (int)Math.Min(chunkSize, content.Length - offset);
            ShardStoreException failure;
            try
            {
                var next = await client.PatchResumableAsync(upload, path, offset, content.Slice((int)offset, length), upsert, cancellationToken).ConfigureAwait(false);
                if (next <= offset || next > content.Length)
                {
                    throw new ShardStoreException(ShardStoreErrorKind.Other, path, $"Supabase Storage moved the upload offset of '{path}' from {offset} to {next}.");
                }

                offset = next;
                failures = 0;
                confirmed = true;
                continue;
            }
            catch (ShardStoreException e) when (e.Kind is ShardStoreErrorKind.Unavailable or ShardStoreErrorKind.AlreadyExists or ShardStoreErrorKind.NotFound)
            {
                // Unavailable: the chunk was lost in transit or the server failed. AlreadyExists (409) from a PATCH is
                // an offset conflict or a refusal, told apart by the server's offset; NotFound (404/410) an expired upload.
                failure = e;
                failures++;
                if (failures > options.Retry.MaxRetryAttempts)
                {
                    throw new ShardStoreException(ShardStoreErrorKind.Unavailable, path, $"The resumable upload of '{path}' stalled at byte {offset} of {content.Length}: {e.Message}", e);
                }

                LogChunkFailed(logger, path, offset, failures, e.Kind);
            }

            if (failure.Kind != ShardStoreErrorKind.AlreadyExists)
            {
                await Task.Delay(Backoff(failures), cancellationToken).ConfigureAwait(false);
            }

            var serverOffset = await client.GetResumableOffsetAsync(upload, path, upsert, cancellationToken).ConfigureAwait(false);
            if (serverOffset is null)
            {
                if (!confirmed && ++unknownRestarts > 1)
                {
                    _openUploads.TryRemove(key, out _);
                    throw new ShardStoreException(
                        ShardStoreErrorKind.Other,
                        path,
                        $"Supabase Storage does not know the resumable upload of '{path}' it has just created ({upload.AbsolutePath}), twice; not starting another: {failure.Message}",
                        failure);
                }

                upload = await client.CreateResumableUploadAsync(bucket, path, content.Length, contentType, cacheControl, upsert, metadata, cancellationToken).ConfigureAwait(false);
                _openUploads[key] = upload;
                offset = 0;
                confirmed = false;
                continue;
            }

            confirmed = true;
            if (failure.Kind == ShardStoreErrorKind.AlreadyExists && serverOffset.Value == offset)
            {
                // Not an offset conflict: the server refuses this upload (e.g. the object exists and x-upsert is false).
                _openUploads.TryRemove(key, out _);
                throw failure;
            }

            offset = Math.Min(serverOffset.Value, content.Length);
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
