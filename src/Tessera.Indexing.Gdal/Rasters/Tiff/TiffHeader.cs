using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// The facts about a TIFF file that GDAL's metadata does not report and the direct reader must know:
/// the byte order, and the first image's <c>FillOrder</c> (266) and <c>PhotometricInterpretation</c> (262).
/// </summary>
/// <param name="LittleEndian">Whether the file is <c>II</c> (little-endian); the direct reader handles no other.</param>
/// <param name="FillOrder">1 (most significant bit first, the default) or 2 (libtiff then reverses every byte's bits).</param>
/// <param name="Photometric">The photometric interpretation, or -1 when the tag is absent.</param>
internal readonly record struct TiffHeader(bool LittleEndian, int FillOrder, int Photometric)
{
    private const int FillOrderTag = 266;
    private const int PhotometricTag = 262;
    private const int ShortType = 3;
    private const int MaxEntries = 4096;

    /// <summary>Reads the header and the first image file directory's entries; <see langword="false"/> when the file is not a TIFF this reader understands.</summary>
    public static bool TryRead(SafeFileHandle file, out TiffHeader header)
    {
        header = default;
        Span<byte> start = stackalloc byte[16];
        if (RandomAccess.Read(file, start, 0) < 8)
        {
            return false;
        }

        if (start[0] == (byte)'M' && start[1] == (byte)'M')
        {
            header = new TiffHeader(false, 1, -1);
            return true;
        }

        if (start[0] != (byte)'I' || start[1] != (byte)'I')
        {
            return false;
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(start[2..]);
        bool big;
        long ifd;
        if (version == 42)
        {
            big = false;
            ifd = BinaryPrimitives.ReadUInt32LittleEndian(start[4..]);
        }
        else if (version == 43 && BinaryPrimitives.ReadUInt16LittleEndian(start[4..]) == 8)
        {
            big = true;
            ifd = (long)BinaryPrimitives.ReadUInt64LittleEndian(start[8..]);
        }
        else
        {
            return false;
        }

        Span<byte> countBytes = stackalloc byte[8];
        if (ifd <= 0 || RandomAccess.Read(file, countBytes[..(big ? 8 : 2)], ifd) < (big ? 8 : 2))
        {
            return false;
        }

        var count = big ? (long)BinaryPrimitives.ReadUInt64LittleEndian(countBytes) : BinaryPrimitives.ReadUInt16LittleEndian(countBytes);
        var entrySize = big ? 20 : 12;
        if (count < 1 || count > MaxEntries)
        {
            return false;
        }

        var entries = new byte[count * entrySize];
        if (RandomAccess.Read(file, entries, ifd + (big ? 8 : 2)) < entries.Length)
        {
            return false;
        }

        var fillOrder = 1;
        var photometric = -1;
        for (var i = 0; i < count; i++)
        {
            var entry = entries.AsSpan(i * entrySize, entrySize);
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
            if ((tag == FillOrderTag || tag == PhotometricTag) && type == ShortType)
            {
                var value = BinaryPrimitives.ReadUInt16LittleEndian(entry[(big ? 12 : 8)..]);
                if (tag == FillOrderTag)
                {
                    fillOrder = value;
                }
                else
                {
                    photometric = value;
                }
            }
        }

        header = new TiffHeader(true, fillOrder, photometric);
        return true;
    }
}
