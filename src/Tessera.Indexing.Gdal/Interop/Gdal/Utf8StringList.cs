using System.Runtime.InteropServices;
using System.Text;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>A null-terminated <c>char**</c> list of UTF-8 strings (GDAL's <c>CSLConstList</c>) in native memory, freed on dispose.</summary>
internal unsafe ref struct Utf8StringList
{
    private byte** _items;
    private int _count;

    /// <summary>Copies <paramref name="values"/>; an empty list gives a null pointer.</summary>
    public Utf8StringList(ReadOnlySpan<string> values)
    {
        _count = values.Length;
        if (_count == 0)
        {
            _items = null;
            return;
        }

        _items = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < _count; i++)
        {
            var byteCount = Encoding.UTF8.GetByteCount(values[i]);
            var item = (byte*)NativeMemory.Alloc((nuint)byteCount + 1);
            Encoding.UTF8.GetBytes(values[i], new Span<byte>(item, byteCount));
            item[byteCount] = 0;
            _items[i] = item;
        }
    }

    /// <summary>The list, or null when empty.</summary>
    public readonly byte** Pointer => _items;

    /// <summary>Frees the list.</summary>
    public void Dispose()
    {
        if (_items is null)
        {
            return;
        }

        for (var i = 0; i < _count; i++)
        {
            NativeMemory.Free(_items[i]);
        }

        NativeMemory.Free(_items);
        _items = null;
        _count = 0;
    }
}
