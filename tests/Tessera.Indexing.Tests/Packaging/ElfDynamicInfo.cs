using System.Buffers.Binary;
using System.Text;

namespace Tessera.Indexing.Tests.Packaging;

/// <summary>
/// Reads what the dynamic linker sees in an x86-64 ELF shared library, without binutils: the
/// <c>DT_NEEDED</c> entries of its dynamic section and the symbols it exports (defined global or weak
/// entries of <c>.dynsym</c>). ELF64 little-endian only, from the section headers.
/// </summary>
internal sealed class ElfDynamicInfo
{
    private const uint ShtDynamic = 6;
    private const uint ShtDynsym = 11;
    private const long DtNull = 0;
    private const long DtNeeded = 1;

    private ElfDynamicInfo(IReadOnlyList<string> needed, IReadOnlyList<string> exported)
    {
        Needed = needed;
        Exported = exported;
    }

    /// <summary>The <c>DT_NEEDED</c> sonames, in file order.</summary>
    public IReadOnlyList<string> Needed { get; }

    /// <summary>The names of defined global and weak dynamic symbols.</summary>
    public IReadOnlyList<string> Exported { get; }

    public static ElfDynamicInfo Read(string path) => Parse(File.ReadAllBytes(path));

    public static ElfDynamicInfo Parse(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7F || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        }

        var span = elf.AsSpan();
        var sectionOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        var sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        var sections = new Section[sectionCount];
        for (var i = 0; i < sectionCount; i++)
        {
            var header = span.Slice(sectionOffset + (i * sectionSize), sectionSize);
            sections[i] = new Section(
                Type: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                Offset: checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..])),
                Size: checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..])),
                Link: BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]),
                EntrySize: checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x38..])));
        }

        var needed = new List<string>();
        var exported = new List<string>();
        var sawDynamic = false;
        foreach (var section in sections)
        {
            if (section.Type == ShtDynamic)
            {
                sawDynamic = true;
                var strings = sections[section.Link];
                for (var at = section.Offset; at + 16 <= section.Offset + section.Size; at += 16)
                {
                    var tag = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
                    if (tag == DtNull)
                    {
                        break;
                    }

                    if (tag == DtNeeded)
                    {
                        needed.Add(ReadString(span, strings.Offset + checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 8)..]))));
                    }
                }
            }
            else if (section.Type == ShtDynsym)
            {
                var strings = sections[section.Link];
                for (var at = section.Offset; at + section.EntrySize <= section.Offset + section.Size; at += section.EntrySize)
                {
                    var name = BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);
                    var binding = span[at + 4] >> 4;
                    var sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 6)..]);
                    if (name != 0 && sectionIndex != 0 && binding is 1 or 2)
                    {
                        exported.Add(ReadString(span, strings.Offset + checked((int)name)));
                    }
                }
            }
        }

        if (!sawDynamic)
        {
            throw new InvalidDataException("no dynamic section: not a shared library");
        }

        return new ElfDynamicInfo(needed, exported);
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        var end = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, end));
    }

    private readonly record struct Section(uint Type, int Offset, int Size, uint Link, int EntrySize);
}
