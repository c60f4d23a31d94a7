namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// TIFF LZW decoding (compression 5) as libtiff does it: codes most significant bit first, 9 to 12
/// bits wide, widened one code early; 256 clears the table, 257 ends the data. The old bit-reversed
/// variant is refused (GDAL then reads the block).
/// </summary>
internal static class TiffLzw
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int FirstFree = 258;
    private const int MaxBits = 12;
    private const int TableSize = 1 << MaxBits;

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/>, stopping when it is full
    /// (libtiff ignores what follows) or at the end code.
    /// </summary>
    /// <returns>The bytes written, or -1 when the data is corrupt or in the old bit-reversed form.</returns>
    public static int Decode(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length >= 2 && source[0] == 0 && (source[1] & 1) != 0)
        {
            return -1;
        }

        Span<ushort> prefix = stackalloc ushort[TableSize];
        Span<byte> suffix = stackalloc byte[TableSize];
        Span<byte> first = stackalloc byte[TableSize];
        Span<ushort> length = stackalloc ushort[TableSize];
        for (var i = 0; i < 256; i++)
        {
            suffix[i] = (byte)i;
            first[i] = (byte)i;
            length[i] = 1;
        }

        ulong bits = 0;
        var bitCount = 0;
        var position = 0;
        var bitsPerCode = 9;
        var next = FirstFree;
        var previous = -1;
        var written = 0;
        while (written < destination.Length)
        {
            while (bitCount <= 56 && position < source.Length)
            {
                bits = (bits << 8) | source[position++];
                bitCount += 8;
            }

            if (bitCount < bitsPerCode)
            {
                break;
            }

            var code = (int)(bits >> (bitCount - bitsPerCode)) & ((1 << bitsPerCode) - 1);
            bitCount -= bitsPerCode;
            if (code == EndOfInformation)
            {
                break;
            }

            if (code == Clear)
            {
                bitsPerCode = 9;
                next = FirstFree;
                previous = -1;
                continue;
            }

            if (previous < 0)
            {
                if (code >= 256)
                {
                    return -1;
                }

                destination[written++] = (byte)code;
                previous = code;
                continue;
            }

            if (code > next || next >= TableSize)
            {
                return -1;
            }

            // The string for code (or, for the one code not yet in the table, previous + its own first byte).
            var known = code < next;
            var stringCode = known ? code : previous;
            var stringLength = length[stringCode];
            var total = known ? stringLength : stringLength + 1;
            var firstByte = first[stringCode];
            WriteString(destination, written, stringCode, stringLength, prefix, suffix);
            if (!known && written + stringLength < destination.Length)
            {
                destination[written + stringLength] = firstByte;
            }

            prefix[next] = (ushort)previous;
            suffix[next] = firstByte;
            first[next] = first[previous];
            length[next] = (ushort)(length[previous] + 1);
            next++;
            written = Math.Min(written + total, destination.Length);
            previous = code;
            if (next == (1 << bitsPerCode) - 1 && bitsPerCode < MaxBits)
            {
                bitsPerCode++;
            }
        }

        return written;
    }

    private static void WriteString(Span<byte> destination, int start, int code, int stringLength, ReadOnlySpan<ushort> prefix, ReadOnlySpan<byte> suffix)
    {
        // Walk from the last byte back to the first; bytes past the end of the destination are dropped.
        var index = start + stringLength - 1;
        while (index >= destination.Length)
        {
            code = prefix[code];
            index--;
        }

        while (index > start)
        {
            destination[index--] = suffix[code];
            code = prefix[code];
        }

        destination[start] = suffix[code];
    }
}
