using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.FlatIndexes;

/// <summary>
/// FAISS's own file format of <c>IndexFlat</c>, as <c>faiss/impl/index_write.cpp</c> (1.7.3) writes it and
/// <c>index_read.cpp</c> reads it, all little-endian:
/// <list type="bullet">
/// <item>fourcc (4 bytes): <c>IxF2</c> (<c>IndexFlatL2</c>), <c>IxFI</c> (<c>IndexFlatIP</c>) or <c>IxFl</c> (<c>IndexFlat</c>, metric in the header);</item>
/// <item>the index header: <c>d</c> (int32), <c>ntotal</c> (int64), two int64 placeholders (<c>1 &lt;&lt; 20</c>), <c>is_trained</c> (1 byte), <c>metric_type</c> (int32; a float <c>metric_arg</c> follows only for metrics above 1);</item>
/// <item>the codes: their length in floats (uint64, <c>ntotal * d</c>) and the float32 vectors, row-major.</item>
/// </list>
/// An index of <c>n</c> vectors of dimension <c>d</c> is therefore <c>45 + 4·n·d</c> bytes.
/// </summary>
internal static class FaissFlatFormat
{
    /// <summary>Bytes before the vectors (fourcc, header and the codes' length).</summary>
    public const int HeaderBytes = 45;

    private const uint FourccL2 = 'I' | ('x' << 8) | ('F' << 16) | ('2' << 24);
    private const uint FourccInnerProduct = 'I' | ('x' << 8) | ('F' << 16) | ('I' << 24);
    private const uint FourccGeneric = 'I' | ('x' << 8) | ('F' << 16) | ('l' << 24);
    private const long Placeholder = 1 << 20;

    /// <summary>The serialised size of <paramref name="count"/> vectors of <paramref name="dimension"/> floats.</summary>
    public static long SizeOf(int dimension, long count) => HeaderBytes + (count * dimension * sizeof(float));

    /// <summary>Writes a whole index file into <paramref name="destination"/> (exactly <see cref="SizeOf"/> bytes).</summary>
    public static void Write(Span<byte> destination, int dimension, VectorMetric metric, long count, ReadOnlySpan<float> vectors)
    {
        var payload = count * dimension;
        if (vectors.Length != payload || destination.Length != SizeOf(dimension, count))
        {
            throw new ArgumentException("The vectors and the destination do not match the count and dimension.");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, metric == VectorMetric.InnerProduct ? FourccInnerProduct : FourccL2);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], dimension);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], count);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Placeholder);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], Placeholder);
        destination[32] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(destination[33..], (int)metric);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[37..], (ulong)payload);
        WriteFloats(vectors, destination[HeaderBytes..]);
    }

    /// <summary>Reads an index file: its dimension, metric, vector count and vectors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a FAISS flat index of the L2 or inner-product metric, or are truncated.</exception>
    public static (int Dimension, VectorMetric Metric, long Count, float[] Vectors) Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            throw new InvalidDataException($"Not a FAISS index file: {data.Length} bytes, too short for its 4-byte type code.");
        }

        var fourcc = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (fourcc is not (FourccL2 or FourccInnerProduct or FourccGeneric))
        {
            throw new InvalidDataException(
                $"Not a FAISS flat index file: its type code is '{Describe(data[..4])}', not IxF2, IxFI or IxFl. Other FAISS index kinds are read by FaissIndexBuilder.");
        }

        if (data.Length < HeaderBytes)
        {
            throw new InvalidDataException($"Truncated FAISS flat index file: {data.Length} bytes, shorter than its {HeaderBytes}-byte header.");
        }

        var dimension = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        var count = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        var metricCode = BinaryPrimitives.ReadInt32LittleEndian(data[33..]);
        if (dimension <= 0 || count < 0)
        {
            throw new InvalidDataException($"Corrupt FAISS flat index file: dimension {dimension}, {count} vectors.");
        }

        if (metricCode is not (0 or 1))
        {
            throw new InvalidDataException($"The FAISS flat index uses metric {metricCode}; only inner product (0) and L2 (1) are supported.");
        }

        var metric = (VectorMetric)metricCode;
        if ((fourcc == FourccL2 && metric != VectorMetric.L2) || (fourcc == FourccInnerProduct && metric != VectorMetric.InnerProduct))
        {
            throw new InvalidDataException($"Corrupt FAISS flat index file: type code '{Describe(data[..4])}' with metric {metricCode}.");
        }

        var floats = BinaryPrimitives.ReadUInt64LittleEndian(data[37..]);
        if (floats != (ulong)count * (ulong)dimension)
        {
            throw new InvalidDataException($"Corrupt FAISS flat index file: {floats} floats of codes for {count} vectors of dimension {dimension}.");
        }

        if (floats > int.MaxValue)
        {
            throw new InvalidDataException($"The FAISS flat index holds {floats} floats; ManagedFlatIndex holds at most {int.MaxValue}.");
        }

        var expected = SizeOf(dimension, count);
        if (data.Length != expected)
        {
            throw new InvalidDataException($"FAISS flat index file of {count} vectors of dimension {dimension} should be {expected} bytes; it is {data.Length} (truncated or trailing bytes).");
        }

        var vectors = GC.AllocateUninitializedArray<float>((int)floats);
        ReadFloats(data[HeaderBytes..], vectors);
        return (dimension, metric, count, vectors);
    }

    private static void WriteFloats(ReadOnlySpan<float> source, Span<byte> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(source).CopyTo(destination);
            return;
        }

        for (var i = 0; i < source.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(destination[(i * sizeof(float))..], source[i]);
        }
    }

    private static void ReadFloats(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
        }
    }

    private static string Describe(ReadOnlySpan<byte> code)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = code[i] is >= 0x20 and < 0x7f ? (char)code[i] : '?';
        }

        return new string(chars);
    }
}
