using System.Buffers;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// Decoded compressed blocks kept between window reads, so a scan in windows shorter than a block
/// decodes each block once. Bounded by bytes: a block that does not fit pushes out blocks of other
/// block rows (least recently used first), never those of the row being read; when that is not
/// enough it is not kept. Buffers come from <see cref="ArrayPool{T}"/> and go back to it once
/// evicted and no reader holds them.
/// </summary>
internal sealed class DecodedBlockCache(long capacityBytes) : IDisposable
{
    private readonly Dictionary<(int X, int Y), Entry> _entries = [];
    private readonly Lock _gate = new();
    private long _bytes;
    private long _clock;

    /// <summary>The byte budget.</summary>
    public long CapacityBytes { get; } = capacityBytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>A held block, or <see langword="null"/> when the cache does not have it. Dispose the lease after reading.</summary>
    public Lease? TryGet((int X, int Y) key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                return null;
            }

            entry.Users++;
            entry.Stamp = ++_clock;
            return new Lease(this, entry);
        }
    }

    /// <summary>
    /// Keeps <paramref name="buffer"/> (rented from <see cref="ArrayPool{T}.Shared"/>) as block
    /// <paramref name="key"/>; on success the cache owns it and the lease lets the caller read it.
    /// </summary>
    /// <returns>A lease, or <see langword="null"/> when the block is not kept (the caller still owns the buffer).</returns>
    public Lease? TryAdd((int X, int Y) key, byte[] buffer, int length)
    {
        if (length > CapacityBytes)
        {
            return null;
        }

        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                return null;
            }

            while (_bytes + length > CapacityBytes)
            {
                Entry? oldest = null;
                foreach (var candidate in _entries.Values)
                {
                    if (candidate.Key.Y != key.Y && (oldest is null || candidate.Stamp < oldest.Stamp))
                    {
                        oldest = candidate;
                    }
                }

                if (oldest is null)
                {
                    return null;
                }

                RemoveLocked(oldest);
            }

            var entry = new Entry(key, buffer, length) { Users = 1, Stamp = ++_clock };
            _entries.Add(key, entry);
            _bytes += length;
            return new Lease(this, entry);
        }
    }

    /// <summary>Drops block <paramref name="key"/> (its buffer returns to the pool once no reader holds it).</summary>
    public void Remove((int X, int Y) key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                RemoveLocked(entry);
            }
        }
    }

    /// <summary>Drops every block.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values.ToArray())
            {
                RemoveLocked(entry);
            }
        }
    }

    private void RemoveLocked(Entry entry)
    {
        _entries.Remove(entry.Key);
        _bytes -= entry.Length;
        entry.Evicted = true;
        if (entry.Users == 0)
        {
            ArrayPool<byte>.Shared.Return(entry.Buffer);
        }
    }

    private void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Users--;
            if (entry.Users == 0 && entry.Evicted)
            {
                ArrayPool<byte>.Shared.Return(entry.Buffer);
            }
        }
    }

    /// <summary>Read access to one cached block until disposed.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly DecodedBlockCache _cache;
        private Entry? _entry;

        internal Lease(DecodedBlockCache cache, Entry entry)
        {
            _cache = cache;
            _entry = entry;
        }

        /// <summary>The decoded block.</summary>
        public ReadOnlySpan<byte> Data => _entry is { } e ? e.Buffer.AsSpan(0, e.Length) : throw new ObjectDisposedException(nameof(Lease));

        /// <summary>Releases the block.</summary>
        public void Dispose()
        {
            if (_entry is { } entry)
            {
                _entry = null;
                _cache.Release(entry);
            }
        }
    }

    internal sealed class Entry((int X, int Y) key, byte[] buffer, int length)
    {
        public (int X, int Y) Key { get; } = key;

        public byte[] Buffer { get; } = buffer;

        public int Length { get; } = length;

        public int Users { get; set; }

        public long Stamp { get; set; }

        public bool Evicted { get; set; }
    }
}
