using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Tessera.Indexing.Numpy;

/// <summary>
/// SHA-256 of a byte stream computed on a worker thread while the producer goes on: each appended span is copied
/// into a pooled chunk and queued (at most <see cref="QueuedChunks"/> chunks, so memory stays bounded and a
/// producer faster than the hash waits). A writer bound by the disk (~400 MB/s) then pays only the copy, not the
/// hash (~1.9 GB/s), and the finished file never has to be read back to be hashed.
/// </summary>
internal sealed class BackgroundSha256 : IDisposable
{
    private const int ChunkBytes = 4 << 20;
    private const int QueuedChunks = 8;

    private readonly Channel<(byte[] Buffer, int Length)> _chunks = Channel.CreateBounded<(byte[] Buffer, int Length)>(
        new BoundedChannelOptions(QueuedChunks) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Task _consumer;
    private string? _result;
    private bool _disposed;

    public BackgroundSha256()
    {
        _consumer = Task.Run(ConsumeAsync);
    }

    /// <summary>Queues the next bytes of the stream.</summary>
    /// <param name="data">The bytes, in stream order.</param>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!data.IsEmpty)
        {
            var length = Math.Min(data.Length, ChunkBytes);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            data[..length].CopyTo(buffer);
            if (!_chunks.Writer.TryWrite((buffer, length)))
            {
                // The queue is full (or closed by a failed hash, which rethrows here): wait for the worker.
                _chunks.Writer.WriteAsync((buffer, length)).AsTask().GetAwaiter().GetResult();
            }

            data = data[length..];
        }
    }

    /// <summary>Waits for the queued bytes and returns the hash of everything appended.</summary>
    /// <returns>Lower-case hex SHA-256.</returns>
    public string Finish()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_result is null)
        {
            _chunks.Writer.TryComplete();
            _consumer.GetAwaiter().GetResult();
            _result = Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        return _result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _chunks.Writer.TryComplete();
        try
        {
            _consumer.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Already reported to the producer (its Append failed); nothing more to do when disposing.
        }

        _hash.Dispose();
    }

    private async Task ConsumeAsync()
    {
        try
        {
            await foreach (var (buffer, length) in _chunks.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    _hash.AppendData(buffer, 0, length);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e)
        {
            _chunks.Writer.TryComplete(e);
            throw;
        }
    }
}
