using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Tessera.Indexing.Numpy;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): element type, shape,
/// memory order, and where the data starts. The data that follows is the array's elements, C order
/// (row-major) unless <see cref="FortranOrder"/>, little-endian.
/// </summary>
/// <remarks>See NumPy's <c>numpy.lib.format</c> for the format. Headers this library writes are
/// version 1.0, padded with spaces so the data starts at a multiple of 64 bytes.</remarks>
public sealed class NpyHeader
{
    /// <summary>The alignment of the data start in files this library writes.</summary>
    public const int Alignment = 64;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private readonly long[] _shape;

    /// <summary>Creates a header for an array about to be written (its <see cref="DataOffset"/> is that of <see cref="Encode"/>).</summary>
    /// <param name="dataType">The element type.</param>
    /// <param name="shape">The shape (an empty shape is a 0-d array holding one element).</param>
    /// <param name="fortranOrder">Whether the data is in Fortran (column-major) order.</param>
    public NpyHeader(NpyDataType dataType, ReadOnlySpan<long> shape, bool fortranOrder = false)
        : this(dataType, shape.ToArray(), fortranOrder, dataOffset: -1)
    {
    }

    private NpyHeader(NpyDataType dataType, long[] shape, bool fortranOrder, long dataOffset)
    {
        if (!Enum.IsDefined(dataType))
        {
            throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown element type.");
        }

        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(shape));
        }

        DataType = dataType;
        _shape = shape;
        FortranOrder = fortranOrder;
        long count = 1;
        foreach (var dim in shape)
        {
            count = checked(count * dim);
        }

        ElementCount = count;
        DataOffset = dataOffset >= 0 ? dataOffset : EncodedLength(BuildDictionary());
    }

    /// <summary>The element type.</summary>
    public NpyDataType DataType { get; }

    /// <summary>The NumPy type descriptor (<c>|i1</c>, <c>|u1</c> or <c>&lt;f4</c>).</summary>
    public string Descr => DescrOf(DataType);

    /// <summary>The shape, outermost dimension first.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Whether the data is in Fortran (column-major) order.</summary>
    public bool FortranOrder { get; }

    /// <summary>Bytes per element.</summary>
    public int ElementSize => ElementSizeOf(DataType);

    /// <summary>Number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public long ElementCount { get; }

    /// <summary>Bytes of data (<see cref="ElementCount"/> × <see cref="ElementSize"/>).</summary>
    public long DataLength => checked(ElementCount * ElementSize);

    /// <summary>The byte offset of the first element in the file (the header's full length).</summary>
    public long DataOffset { get; }

    /// <summary>The length of a whole file with this header: <see cref="DataOffset"/> + <see cref="DataLength"/>.</summary>
    public long FileLength => checked(DataOffset + DataLength);

    /// <summary>The NumPy descriptor of <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The element type.</param>
    /// <returns><c>|i1</c>, <c>|u1</c> or <c>&lt;f4</c>.</returns>
    public static string DescrOf(NpyDataType dataType) => dataType switch
    {
        NpyDataType.Int8 => "|i1",
        NpyDataType.UInt8 => "|u1",
        NpyDataType.Float32 => "<f4",
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown element type."),
    };

    /// <summary>Bytes per element of <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The element type.</param>
    /// <returns>1 or 4.</returns>
    public static int ElementSizeOf(NpyDataType dataType) => dataType switch
    {
        NpyDataType.Int8 or NpyDataType.UInt8 => 1,
        NpyDataType.Float32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown element type."),
    };

    /// <summary>The C# element type that matches <paramref name="dataType"/>.</summary>
    /// <param name="dataType">The element type.</param>
    /// <returns><see cref="sbyte"/>, <see cref="byte"/> or <see cref="float"/>.</returns>
    public static Type ClrTypeOf(NpyDataType dataType) => dataType switch
    {
        NpyDataType.Int8 => typeof(sbyte),
        NpyDataType.UInt8 => typeof(byte),
        NpyDataType.Float32 => typeof(float),
        _ => throw new ArgumentOutOfRangeException(nameof(dataType), dataType, "Unknown element type."),
    };

    /// <summary>Reads and parses the header at the start of the file at <paramref name="path"/>.</summary>
    /// <param name="path">The <c>.npy</c> file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NpyFormatException">The file is not a readable <c>.npy</c> file.</exception>
    public static NpyHeader Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"NumPy file '{path}' does not exist.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        try
        {
            return Read(stream);
        }
        catch (NpyFormatException e)
        {
            throw new NpyFormatException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>Reads and parses a header from <paramref name="stream"/>, leaving it positioned at the first element.</summary>
    /// <param name="stream">A stream positioned at the start of a <c>.npy</c> file.</param>
    /// <returns>The header.</returns>
    /// <exception cref="NpyFormatException">The stream does not hold a readable <c>.npy</c> header.</exception>
    public static NpyHeader Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        ReadExactly(stream, prefix[..10]);
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new NpyFormatException("Not a NumPy .npy file (the magic string \\x93NUMPY is missing).");
        }

        var major = prefix[6];
        int headerLength;
        int prefixLength;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            prefixLength = 10;
        }
        else if (major is 2 or 3)
        {
            ReadExactly(stream, prefix[10..12]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
            if (length > 64 * 1024 * 1024)
            {
                throw new NpyFormatException($"The header claims {length} bytes, which is not plausible.");
            }

            headerLength = (int)length;
            prefixLength = 12;
        }
        else
        {
            throw new NpyFormatException($"Unsupported .npy format version {major}.{prefix[7]} (1.0, 2.0 and 3.0 are supported).");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes);
        var text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return ParseDictionary(text, prefixLength + headerLength);
    }

    /// <summary>Parses a header from the first bytes of a <c>.npy</c> file.</summary>
    /// <param name="fileStart">The start of the file, at least the whole header.</param>
    /// <returns>The header.</returns>
    /// <exception cref="NpyFormatException">The bytes do not start a readable <c>.npy</c> file.</exception>
    public static NpyHeader Parse(ReadOnlySpan<byte> fileStart)
    {
        using var stream = new MemoryStream(fileStart.ToArray(), writable: false);
        return Read(stream);
    }

    /// <summary>
    /// The bytes of the header in format 1.0: magic, version, length, and the Python dictionary literal
    /// padded with spaces and a final newline so the data starts at a multiple of <see cref="Alignment"/>.
    /// </summary>
    /// <returns><see cref="DataOffset"/> bytes.</returns>
    public byte[] Encode()
    {
        var dictionary = BuildDictionary();
        var total = EncodedLength(dictionary);
        var version = total - 10 > ushort.MaxValue ? (byte)2 : (byte)1;
        var prefixLength = version == 1 ? 10 : 12;
        var result = new byte[total];
        Magic.CopyTo(result);
        result[6] = version;
        result[7] = 0;
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)(total - prefixLength));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)(total - prefixLength));
        }

        var written = Encoding.Latin1.GetBytes(dictionary, result.AsSpan(prefixLength));
        result.AsSpan(prefixLength + written, total - prefixLength - written - 1).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => BuildDictionary();

    private string BuildDictionary()
    {
        var shape = new StringBuilder("(");
        for (var i = 0; i < _shape.Length; i++)
        {
            shape.Append(_shape[i].ToString(CultureInfo.InvariantCulture));
            if (_shape.Length == 1 || i < _shape.Length - 1)
            {
                shape.Append(_shape.Length == 1 ? "," : ", ");
            }
        }

        shape.Append(')');
        var fortran = FortranOrder ? "True" : "False";
        return $"{{'descr': '{Descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";
    }

    private static int EncodedLength(string dictionary)
    {
        // magic(6) + version(2) + length(2) + dictionary + padding + '\n', rounded up to the alignment.
        var unpadded = 10 + dictionary.Length + 1;
        var total = (unpadded + Alignment - 1) / Alignment * Alignment;
        if (total - 10 > ushort.MaxValue)
        {
            unpadded = 12 + dictionary.Length + 1;
            total = (unpadded + Alignment - 1) / Alignment * Alignment;
        }

        return total;
    }

    private static NpyHeader ParseDictionary(string text, long dataOffset)
    {
        Dictionary<string, object?> dictionary;
        try
        {
            dictionary = PythonLiteralParser.ParseDictionary(text);
        }
        catch (FormatException e)
        {
            throw new NpyFormatException($"The header is not a Python dictionary literal: {e.Message}", e);
        }

        if (!dictionary.TryGetValue("descr", out var descrValue) || descrValue is not string descr)
        {
            throw new NpyFormatException("The header has no 'descr' string.");
        }

        var dataType = descr switch
        {
            "|i1" or "<i1" or "i1" or "=i1" => NpyDataType.Int8,
            "|u1" or "<u1" or "u1" or "=u1" => NpyDataType.UInt8,
            "<f4" or "=f4" => NpyDataType.Float32,
            _ => throw new NpyFormatException($"Unsupported element type '{descr}' (supported: |i1 int8, |u1 uint8, <f4 float32)."),
        };

        if (!dictionary.TryGetValue("fortran_order", out var fortranValue) || fortranValue is not bool fortranOrder)
        {
            throw new NpyFormatException("The header has no 'fortran_order' boolean.");
        }

        if (!dictionary.TryGetValue("shape", out var shapeValue) || shapeValue is not List<object?> shapeItems)
        {
            throw new NpyFormatException("The header has no 'shape' tuple.");
        }

        var shape = new long[shapeItems.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            if (shapeItems[i] is not long dim || dim < 0)
            {
                throw new NpyFormatException($"The shape {text} holds something other than non-negative integers.");
            }

            shape[i] = dim;
        }

        try
        {
            return new NpyHeader(dataType, shape, fortranOrder, dataOffset);
        }
        catch (OverflowException e)
        {
            throw new NpyFormatException("The shape's element count overflows a 64-bit integer.", e);
        }
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new NpyFormatException("The file ends inside the .npy header.", e);
        }
    }
}
