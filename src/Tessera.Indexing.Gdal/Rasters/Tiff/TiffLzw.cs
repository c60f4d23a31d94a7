namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// TIFF LZW decoding (compression 5) as libtiff does it: codes most significant bit first, 9 to 12
/// bits wide, widened one code early; 256 clears the table, 257 ends the data. The old bit-reversed
/// variant is refused (GDAL then reads the block).
/// </summary>
/// <remarks>
/// Every table entry's string already lies in the output: the entry made after code <c>c</c> is the
/// previous code's string followed by the first byte of <c>c</c>'s, which is where they were written,
/// one after the other. So an entry is an (offset, length) into the output and decoding a code is one
/// block copy, instead of walking a prefix chain byte by byte.
/// </remarks>
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

        Span<int> offset = stackalloc int[TableSize];
        Span<int> length = stackalloc int[TableSize];
        ulong bits = 0;
        var bitCount = 0;
        var position = 0;
        var bitsPerCode = 9;
        var next = FirstFree;
        var previousStart = -1;
        var previousLength = 0;
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
                previousStart = -1;
                continue;
            }

            if (previousStart < 0)
            {
                // The first code after a clear: a single byte.
                if (code >= 256)
                {
                    return -1;
                }

                previousStart = written;
                previousLength = 1;
                destination[written++] = (byte)code;
                continue;
            }

            if (code > next || next >= TableSize)
            {
                return -1;
            }

            // The new entry: the previous string and the first byte of this one, which follows it in the output.
            offset[next] = previousStart;
            length[next] = previousLength + 1;
            int stringLength;
            if (code < 256)
            {
                stringLength = 1;
                destination[written] = (byte)code;
            }
            else
            {
                stringLength = length[code];
                var room = Math.Min(stringLength, destination.Length - written);
                if (code == next)
                {
                    // Not yet in the output in full: the previous string, then its own first byte.
                    var head = Math.Min(previousLength, room);
                    destination.Slice(previousStart, head).CopyTo(destination[written..]);
                    if (room > previousLength)
                    {
                        destination[written + previousLength] = destination[previousStart];
                    }
                }
                else
                {
                    destination.Slice(offset[code], room).CopyTo(destination[written..]);
                }
            }

            next++;
            if (next == (1 << bitsPerCode) - 1 && bitsPerCode < MaxBits)
            {
                bitsPerCode++;
            }

            previousStart = written;
            previousLength = stringLength;
            written = Math.Min(written + stringLength, destination.Length);
        }

        return written;
    }
}
