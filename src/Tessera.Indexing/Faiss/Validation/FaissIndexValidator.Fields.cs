using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Faiss.Validation;

internal partial class FaissIndexValidator
{
    private PqShape ReadProductQuantizer(int d)
    {
        var pqD = ReadUInt64("pq.d");
        if (pqD != (ulong)d)
        {
            throw Corrupt($"the product quantizer is {pqD}-d but the index is {d}-d");
        }

        var m = ReadUInt64("pq.M");
        if (m == 0)
        {
            throw Corrupt("pq.M is 0: a product quantizer needs at least one sub-quantizer");
        }

        if (m > (ulong)d || (ulong)d % m != 0)
        {
            throw Corrupt($"pq.M = {m} does not divide the dimension {d}");
        }

        var nbits = ReadUInt64("pq.nbits");
        if (nbits is 0 or > 24)
        {
            throw Corrupt($"pq.nbits = {nbits} is out of range (1-16)");
        }

        if (nbits > 16)
        {
            throw Refused($"pq.nbits = {nbits}: codes wider than 16 bits are not supported");
        }

        var centroids = 1L << (int)nbits;
        var floats = ReadVectorLength("pq.centroids", 4);
        Expect(floats, Mul(d, centroids), $"d x 2^nbits = {d} x {centroids} floats");
        Charge(Mul(floats, 4), "PQ codebooks");
        Skip(Mul(floats, 4));
        return new PqShape((int)m, (int)nbits, centroids, (((long)m * (long)nbits) + 7) / 8);
    }

    private SqShape ReadScalarQuantizer(int d, bool trained)
    {
        var type = ReadInt32("sq.qtype");
        if (type is < 0 or > 6)
        {
            throw Corrupt($"scalar quantizer type {type} is not a FAISS 1.7.3 type (0-6)");
        }

        var rangeStat = ReadInt32("sq.rangestat");
        if (rangeStat is < 0 or > 3)
        {
            throw Corrupt($"range statistic {rangeStat} is not a FAISS range statistic (0-3)");
        }

        ReadSingle("sq.rangestat_arg");
        var sqD = ReadUInt64("sq.d");
        if (sqD != (ulong)d)
        {
            throw Corrupt($"the scalar quantizer is {sqD}-d but the index is {d}-d");
        }

        var codeSize = ReadCount("sq.code_size");
        var (expectedCode, trainedFloats) = type switch
        {
            0 => ((long)d, 2L * d),                  // QT_8bit
            1 => ((d + 1L) / 2, 2L * d),             // QT_4bit
            2 => ((long)d, 2L),                      // QT_8bit_uniform
            3 => ((d + 1L) / 2, 2L),                 // QT_4bit_uniform
            4 => (2L * d, 0L),                       // QT_fp16
            5 => ((long)d, 0L),                      // QT_8bit_direct
            _ => (((d * 6L) + 7) / 8, 2L * d),       // QT_6bit
        };
        Expect(codeSize, expectedCode, $"{expectedCode} bytes for {d}-d vectors of type {type}", "sq.code_size");
        var floats = ReadVectorLength("sq.trained", 4);
        if (floats != trainedFloats && !(floats == 0 && !trained))
        {
            throw Corrupt($"the scalar quantizer holds {floats} trained values; type {type} on {d}-d vectors needs {trainedFloats}", "sq.trained");
        }

        Charge(Mul(floats, 4), "SQ ranges");
        Skip(Mul(floats, 4));
        return new SqShape(codeSize);
    }

    private Header ReadHeader()
    {
        var d = ReadInt32("d");
        if (d <= 0 || d > MaxDimension)
        {
            throw Corrupt(d <= 0 ? $"dimension d = {d} must be positive" : $"dimension d = {d} is out of range (1-{MaxDimension})");
        }

        var count = ReadInt64("ntotal");
        if (count < 0)
        {
            throw Corrupt($"ntotal = {count} must not be negative");
        }

        Skip(16, "reserved");
        var trained = ReadBool("is_trained");
        var trainedAt = _fieldStart;
        var metric = ReadInt32("metric_type");
        switch (metric)
        {
            case MetricInnerProduct:
            case MetricL2:
                break;
            case 2 or 3 or 4 or 20 or 21 or 22:
                throw Refused($"metric type {metric} (L1, Linf, Lp, Canberra, BrayCurtis or JensenShannon) is not supported; only L2 (1) and inner product (0) are");
            default:
                throw Corrupt($"metric type {metric} is neither inner product (0) nor L2 (1)");
        }

        if (!trained && count > 0)
        {
            _fieldStart = trainedAt;
            throw Corrupt($"the index holds {count} vectors but is marked untrained", "is_trained");
        }

        return new Header(d, count, trained, metric);
    }

    private void CheckWrapped(Header outer, Node inner, int innerDimension, string what)
    {
        if (inner.Dimension != innerDimension)
        {
            throw Corrupt($"the {what} is over {innerDimension}-d vectors but its index is {inner.Dimension}-d");
        }

        if (inner.Count != outer.Count)
        {
            throw Corrupt($"the {what} counts {outer.Count} vectors but its index holds {inner.Count}");
        }

        if (inner.Metric != outer.Metric)
        {
            throw Corrupt($"the {what} has metric {outer.Metric} but its index has metric {inner.Metric}");
        }

        if (outer.IsTrained && !inner.IsTrained)
        {
            throw Corrupt($"the {what} is marked trained but its index is not");
        }
    }

    private void ScanInt64(long count, Action<long, long> visit) => Scan(count, visit);

    private void ScanInt32(long count, Action<long, int> visit) => Scan(count, visit);

    /// <summary>Reads <paramref name="count"/> little-endian integers in buffer-sized chunks, handing each to <paramref name="visit"/> with its index.</summary>
    private void Scan<T>(long count, Action<long, T> visit)
        where T : unmanaged, IBinaryInteger<T>
    {
        var size = Unsafe.SizeOf<T>();
        var start = _reader.Position;
        if (Mul(count, size) > _reader.Remaining)
        {
            throw Corrupt($"{count} {size}-byte values need {Mul(count, size)} bytes, but only {_reader.Remaining} remain");
        }

        var index = 0L;
        while (index < count)
        {
            var chunk = (int)Math.Min(count - index, FaissIndexReader.BufferSize / size);
            var bytes = _reader.Take(chunk * size);
            var values = MemoryMarshal.Cast<byte, T>(bytes);
            for (var i = 0; i < chunk; i++)
            {
                _fieldStart = start + ((index + i) * size);
                visit(index + i, BitConverter.IsLittleEndian ? values[i] : T.ReadLittleEndian(bytes.Slice(i * size, size), isUnsigned: false));
            }

            index += chunk;
        }
    }

    private long SkipFloatVector(string field)
    {
        var count = ReadVectorLength(field, 4);
        Charge(Mul(count, 4), field);
        Skip(Mul(count, 4));
        return count;
    }

    /// <summary>A FAISS <c>READVECTOR</c> length: elements of <paramref name="elementSize"/> bytes that must all be present.</summary>
    private long ReadVectorLength(string field, int elementSize)
    {
        var count = ReadUInt64(field + " length");
        if (count > (ulong)(_reader.Remaining / elementSize))
        {
            throw Corrupt($"the length field says {count} elements of {elementSize} bytes, but only {_reader.Remaining} bytes remain");
        }

        return (long)count;
    }

    /// <summary>A size field that must fit a non-negative 64-bit integer.</summary>
    private long ReadCount(string field)
    {
        var value = ReadUInt64(field);
        if (value > long.MaxValue)
        {
            throw Corrupt($"{field} = {value} is out of range");
        }

        return (long)value;
    }

    private void Expect(long actual, long expected, string what, string? field = null)
    {
        if (actual != expected)
        {
            throw Corrupt($"found {actual} where {what} are required", field);
        }
    }

    private void Skip(long bytes, string? field = null)
    {
        if (field is not null)
        {
            Begin(field, bytes);
        }
        else if (bytes > _reader.Remaining)
        {
            _fieldStart = _reader.Position;
            throw Corrupt($"{bytes} bytes are needed but only {_reader.Remaining} remain (truncated?)");
        }

        _reader.Seek(_reader.Position + bytes);
    }

    private void Charge(long bytes, string what)
    {
        _memory = Add(_memory, bytes);
        if (_memory > _budget)
        {
            throw new FaissException(
                FaissErrorKind.MemoryBudgetExceeded,
                Operation,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"loading this index needs at least {_memory:N0} bytes ({what}: {bytes:N0}), more than the memory budget of {_budget:N0} bytes (FaissIndexOptions.MaxMemoryBytes) ({Where()})"));
        }
    }

    private void Begin(string field, long bytes)
    {
        _field = field;
        _fieldStart = _reader.Position;
        if (bytes > _reader.Remaining)
        {
            throw Corrupt($"{bytes} bytes are needed but only {_reader.Remaining} remain (truncated?)");
        }
    }

    private string ReadFourcc(string field)
    {
        Begin(field, 4);
        var bytes = _reader.Take(4);
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return new string(chars);
    }

    private byte ReadByte(string field)
    {
        Begin(field, 1);
        return _reader.ReadByte();
    }

    private bool ReadBool(string field)
    {
        Begin(field, 1);
        var value = _reader.ReadByte();
        if (value > 1)
        {
            throw Corrupt($"a boolean holds {value}; only 0 and 1 are valid");
        }

        return value == 1;
    }

    private int ReadInt32(string field)
    {
        Begin(field, 4);
        return _reader.ReadInt32();
    }

    private long ReadInt64(string field)
    {
        Begin(field, 8);
        return _reader.ReadInt64();
    }

    private ulong ReadUInt64(string field)
    {
        Begin(field, 8);
        return _reader.ReadUInt64();
    }

    private float ReadSingle(string field)
    {
        Begin(field, 4);
        return _reader.ReadSingle();
    }

    private FaissException UnknownType(string fourcc, string what) =>
        Unsupported.TryGetValue(fourcc, out var name)
            ? Refused($"index type '{fourcc}' ({name}) is not supported")
            : Corrupt($"'{Printable(fourcc)}' is not a FAISS {what}");

    private FaissException UnknownTransform(string fourcc) =>
        Corrupt($"'{Printable(fourcc)}' is not a FAISS vector transform");

    private FaissException Corrupt(string problem, string? field = null)
    {
        if (field is not null)
        {
            _field = field;
        }

        return new FaissException(FaissErrorKind.CorruptIndex, Operation, $"corrupt index: {problem} ({Where()})");
    }

    private FaissException Refused(string problem) =>
        new(FaissErrorKind.UnsupportedIndex, Operation, $"unsupported index: {problem} ({Where()})");

    private string Where()
    {
        var path = _path.Count == 0 ? _field : string.Join(" > ", _path) + "." + _field;
        return string.Create(CultureInfo.InvariantCulture, $"{path} at byte {_fieldStart}");
    }

    private static string Printable(string fourcc)
    {
        var sb = new StringBuilder();
        foreach (var c in fourcc)
        {
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return sb.ToString();
    }

    private static long Mul(long a, long b) => SaturatingArithmetic.Multiply(a, b);

    private static long Add(long a, long b) => SaturatingArithmetic.Add(a, b);
}
