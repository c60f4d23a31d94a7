using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Onnx.Runtime;

/// <summary>
/// The <c>DT_NEEDED</c> libraries and the <c>DT_RUNPATH</c>/<c>DT_RPATH</c> of a 64-bit little-endian ELF shared
/// library, read from its dynamic section (what <c>readelf -d</c> prints), without loading it.
/// </summary>
/// <param name="Needed">The sonames the library needs, in file order.</param>
/// <param name="SearchPaths">Its run path entries, with <c>$ORIGIN</c> replaced by the library's folder.</param>
internal sealed record ElfDependencies(IReadOnlyList<string> Needed, IReadOnlyList<string> SearchPaths)
{
    private const int ProgramHeaderSize = 56;
    private static ReadOnlySpan<byte> ElfMagic => [0x7F, (byte)'E', (byte)'L', (byte)'F'];
    private const uint PtLoad = 1;
    private const uint PtDynamic = 2;
    private const long DtNull = 0;
    private const long DtNeeded = 1;
    private const long DtStrTab = 5;
    private const long DtRPath = 15;
    private const long DtRunPath = 29;

    /// <summary>Reads the dependencies of the ELF file at <paramref name="path"/>.</summary>
    /// <returns>The dependencies, or <see langword="null"/> when the file is not a 64-bit little-endian ELF with a dynamic section.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ElfDependencies? Read(string path)
    {
        using var file = File.OpenHandle(path);
        Span<byte> header = stackalloc byte[64];
        if (RandomAccess.Read(file, header, 0) < 64
            || !header[..4].SequenceEqual(ElfMagic)
            || header[4] != 2 /* ELFCLASS64 */
            || header[5] != 1 /* ELFDATA2LSB */)
        {
            return null;
        }

        var programHeaderOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..]);
        var programHeaderEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
        var programHeaderCount = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
        if (programHeaderEntrySize < ProgramHeaderSize || programHeaderCount == 0)
        {
            return null;
        }

        var loads = new List<(ulong VirtualAddress, ulong FileOffset, ulong FileSize)>();
        (long Offset, long Size)? dynamic = null;
        var programHeader = new byte[ProgramHeaderSize];
        for (var i = 0; i < programHeaderCount; i++)
        {
            ReadExactly(file, programHeader, programHeaderOffset + ((long)i * programHeaderEntrySize));
            var type = BinaryPrimitives.ReadUInt32LittleEndian(programHeader);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(programHeader.AsSpan(8));
            var virtualAddress = BinaryPrimitives.ReadUInt64LittleEndian(programHeader.AsSpan(16));
            var fileSize = BinaryPrimitives.ReadUInt64LittleEndian(programHeader.AsSpan(32));
            if (type == PtLoad)
            {
                loads.Add((virtualAddress, offset, fileSize));
            }
            else if (type == PtDynamic)
            {
                dynamic = ((long)offset, (long)fileSize);
            }
        }

        if (dynamic is not { } section || section.Size <= 0 || section.Size > 1 << 20)
        {
            return null;
        }

        var entries = new byte[section.Size];
        ReadExactly(file, entries, section.Offset);
        ulong stringTable = 0;
        var neededOffsets = new List<ulong>();
        var pathOffsets = new List<ulong>();
        for (var at = 0; at + 16 <= entries.Length; at += 16)
        {
            var tag = BinaryPrimitives.ReadInt64LittleEndian(entries.AsSpan(at));
            var value = BinaryPrimitives.ReadUInt64LittleEndian(entries.AsSpan(at + 8));
            if (tag == DtNull)
            {
                break;
            }

            switch (tag)
            {
                case DtNeeded:
                    neededOffsets.Add(value);
                    break;
                case DtStrTab:
                    stringTable = value;
                    break;
                case DtRPath or DtRunPath:
                    pathOffsets.Add(value);
                    break;
            }
        }

        if (FileOffsetOf(stringTable, loads) is not { } tableOffset)
        {
            return null;
        }

        var origin = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var needed = new List<string>(neededOffsets.Count);
        foreach (var offset in neededOffsets)
        {
            needed.Add(ReadString(file, tableOffset + (long)offset));
        }

        var searchPaths = new List<string>();
        foreach (var offset in pathOffsets)
        {
            foreach (var entry in ReadString(file, tableOffset + (long)offset).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                searchPaths.Add(entry.Replace("${ORIGIN}", origin, StringComparison.Ordinal).Replace("$ORIGIN", origin, StringComparison.Ordinal));
            }
        }

        return new ElfDependencies(needed, searchPaths);
    }

    private static long? FileOffsetOf(ulong virtualAddress, List<(ulong VirtualAddress, ulong FileOffset, ulong FileSize)> loads)
    {
        foreach (var (start, offset, size) in loads)
        {
            if (virtualAddress >= start && virtualAddress < start + size)
            {
                return (long)(virtualAddress - start + offset);
            }
        }

        return null;
    }

    private static string ReadString(SafeFileHandle file, long offset)
    {
        var bytes = new byte[256];
        var builder = new List<byte>();
        while (true)
        {
            var read = RandomAccess.Read(file, bytes, offset);
            if (read <= 0)
            {
                break;
            }

            var end = Array.IndexOf(bytes, (byte)0, 0, read);
            if (end >= 0)
            {
                builder.AddRange(bytes.AsSpan(0, end));
                break;
            }

            builder.AddRange(bytes.AsSpan(0, read));
            offset += read;
            if (builder.Count > 4096)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(builder.ToArray());
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read <= 0)
            {
                throw new EndOfStreamException($"The ELF file ends before offset {offset + destination.Length}.");
            }

            done += read;
        }
    }
}
