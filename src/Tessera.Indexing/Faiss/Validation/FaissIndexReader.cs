using System.Buffers.Binary;

namespace Tessera.Indexing.Faiss.Validation;

/// <summary>
/// Little-endian reads over a seekable stream of known length, through one fixed 64 KiB buffer, so
/// walking an index of any size holds a bounded amount of memory. It never trusts a length field:
/// callers check <see cref="Remaining"/> first, and a stream that ends early is reported as such.
/// </summary>
internal sealed class FaissIndexReader
{
    /// <summary>Largest block <see cref="Take"/> hands out at once.</summary>
    public const int BufferSize = 1 << 16;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _bufferOffset;
    private int _count;
    private int _position;

    public FaissIndexReader(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
        _bufferOffset = stream.Position;
    }

    /// <summary>Bytes in the index (the stream's length when the reader was made).</summary>
    public long Length { get; }

    /// <summary>Offset of the next byte to read.</summary>
    public long Position => _bufferOffset + _position;

    /// <summary>Bytes left after <see cref="Position"/>.</summary>
    public long Remaining => Length - Position;

    /// <summary>The next <paramref name="count"/> bytes (at most <see cref="BufferSize"/>); the caller has checked <see cref="Remaining"/>.</summary>
    public ReadOnlySpan<byte> Take(int count)
    {
        if (_count - _position < count)
        {
            Fill(count);
        }

        var span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>Moves to <paramref name="position"/> (within the index).</summary>
    public void Seek(long position)
    {
        if (position >= _bufferOffset && position <= _bufferOffset + _count)
        {
            _position = (int)(position - _bufferOffset);
            return;
        }

        _stream.Position = position;
        _bufferOffset = position;
        _position = 0;
        _count = 0;
    }

    private void Fill(int count)
    {
        var left = _count - _position;
        Buffer.BlockCopy(_buffer, _position, _buffer, 0, left);
        _bufferOffset += _position;
        _position = 0;
        _count = left;
        while (_count < count)
        {
            var read = _stream.Read(_buffer, _count, BufferSize - _count);
            if (read == 0)
            {
                throw new EndOfStreamException($"The index ended at byte {_bufferOffset + _count} although it was {Length} bytes long when opened (it changed while being read).");
            }

            _count += read;
        }
    }
}
