using System.IO.MemoryMappedFiles;

namespace Tessera.Indexing.Numpy;

/// <summary>
/// A NumPy <c>.npy</c> file opened read-only and memory-mapped, so rows of an array far larger than
/// memory (for example a viewport's <c>all_embeddings.npy</c>, shape (H×W, 128)) are read as spans
/// without copying, and the operating system pages in only what is touched.
/// </summary>
/// <remarks>
/// A row is the innermost dimensions together: for shape (N, D) row <c>i</c> is the <c>D</c> elements
/// of <c>array[i]</c>; for shape (H, W, D) row <c>i</c> is <c>array[i]</c> (W×D elements). C order only.
/// Spans returned by this class are valid until it is disposed. Reads are safe from many threads.
/// </remarks>
public sealed unsafe class NpyMemoryMappedArray : IDisposable
{
    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _data;
    private readonly Type _elementType;
    private bool _disposed;

    private NpyMemoryMappedArray(string path, NpyHeader header, MemoryMappedFile? file, MemoryMappedViewAccessor? view, byte* data)
    {
        Path = path;
        Header = header;
        _file = file;
        _view = view;
        _data = data;
        _elementType = NpyHeader.ClrTypeOf(header.DataType);
        RowCount = header.Shape.Count == 0 ? 1 : header.Shape[0];
        long rowLength = 1;
        for (var i = 1; i < header.Shape.Count; i++)
        {
            rowLength *= header.Shape[i];
        }

        RowLength = rowLength;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The parsed header.</summary>
    public NpyHeader Header { get; }

    /// <summary>The element type.</summary>
    public NpyDataType DataType => Header.DataType;

    /// <summary>The shape.</summary>
    public IReadOnlyList<long> Shape => Header.Shape;

    /// <summary>Number of rows: the outermost dimension (1 for a 0-d array).</summary>
    public long RowCount { get; }

    /// <summary>Elements per row: the product of all dimensions but the first.</summary>
    public long RowLength { get; }

    /// <summary>Total number of elements.</summary>
    public long ElementCount => Header.ElementCount;

    /// <summary>Opens and maps the file at <paramref name="path"/>.</summary>
    /// <param name="path">A <c>.npy</c> file of int8, uint8 or float32 elements in C order.</param>
    /// <returns>The mapped array; dispose it to unmap.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NpyFormatException">The file is not a readable <c>.npy</c> file, is in Fortran order, or is shorter than its header declares.</exception>
    public static NpyMemoryMappedArray Open(string path)
    {
        var header = NpyHeader.Read(path);
        if (header.FortranOrder)
        {
            throw new NpyFormatException($"'{path}' is in Fortran order; only C-order (fortran_order False) arrays are supported.");
        }

        // The size of what is mapped: a symbolic link's target, not the link itself.
        var info = new FileInfo(path);
        var length = (info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).Length;
        if (length < header.FileLength)
        {
            throw new NpyFormatException(
                $"'{path}' is truncated: its header declares {header.DataLength} bytes of data after {header.DataOffset} header bytes, but the file has {length} bytes.");
        }

        if (header.DataLength == 0)
        {
            return new NpyMemoryMappedArray(path, header, null, null, null);
        }

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = file.CreateViewAccessor(0, header.FileLength, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset + header.DataOffset;
            return new NpyMemoryMappedArray(path, header, file, view, pointer);
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    /// <typeparam name="T">The element type's C# type (<see cref="sbyte"/>, <see cref="byte"/> or <see cref="float"/>).</typeparam>
    /// <param name="row">The row, 0 ≤ row &lt; <see cref="RowCount"/>.</param>
    /// <returns>A span over the mapped file.</returns>
    public ReadOnlySpan<T> GetRow<T>(long row)
        where T : unmanaged => GetRows<T>(row, 1);

    /// <summary>The elements of <paramref name="count"/> consecutive rows starting at <paramref name="firstRow"/>.</summary>
    /// <typeparam name="T">The element type's C# type.</typeparam>
    /// <param name="firstRow">The first row.</param>
    /// <param name="count">Rows (their elements must number at most <see cref="int.MaxValue"/>).</param>
    /// <returns>A span over the mapped file.</returns>
    public ReadOnlySpan<T> GetRows<T>(long firstRow, int count)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (firstRow + count > RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows {firstRow}..{firstRow + count} exceed the array's {RowCount} rows.");
        }

        return GetElements<T>(firstRow * RowLength, checked((int)(count * RowLength)));
    }

    /// <summary>The flat (C-order) elements <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/>.</summary>
    /// <typeparam name="T">The element type's C# type.</typeparam>
    /// <param name="start">The first element.</param>
    /// <param name="count">Elements.</param>
    /// <returns>A span over the mapped file.</returns>
    public ReadOnlySpan<T> GetElements<T>(long start, int count)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (typeof(T) != _elementType)
        {
            throw new ArgumentException($"'{Path}' holds {Header.Descr} ({_elementType.Name}) elements, not {typeof(T).Name}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (start + count > ElementCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Elements {start}..{start + count} exceed the array's {ElementCount} elements.");
        }

        if (count == 0)
        {
            return [];
        }

        return new ReadOnlySpan<T>(_data + (start * sizeof(T)), count);
    }

    /// <summary>A span over every element, when the array holds at most <see cref="int.MaxValue"/> of them.</summary>
    /// <typeparam name="T">The element type's C# type.</typeparam>
    /// <returns>A span over the mapped file.</returns>
    /// <exception cref="InvalidOperationException">The array is too large for one span; use <see cref="GetRows{T}"/>.</exception>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        if (ElementCount > int.MaxValue)
        {
            throw new InvalidOperationException($"The array holds {ElementCount} elements, too many for one span; read it by rows.");
        }

        return GetElements<T>(0, (int)ElementCount);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }

        _file?.Dispose();
    }
}
