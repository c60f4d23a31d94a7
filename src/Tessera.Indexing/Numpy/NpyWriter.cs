using System.Runtime.InteropServices;

namespace Tessera.Indexing.Numpy;

/// <summary>
/// Writes a NumPy <c>.npy</c> file (format 1.0, C order) whose shape is known up front, streaming the
/// elements in as many calls as convenient, so arrays far larger than memory can be written block by
/// block. The header is padded so the data starts at a 64-byte boundary (memory-mapping friendly).
/// </summary>
/// <example>
/// <code>
/// using var writer = NpyWriter.Create("all_embeddings.npy", NpyDataType.Float32, [height * width, 128]);
/// foreach (var block in blocks) writer.Write&lt;float&gt;(block);
/// writer.Complete(); // throws unless exactly height * width * 128 values were written
/// </code>
/// </example>
public sealed class NpyWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Type _elementType;
    private BackgroundSha256? _sha256;
    private string? _sha256Hex;
    private bool _completed;
    private bool _disposed;

    /// <summary>Writes the header of a new array to <paramref name="stream"/>; elements follow with <see cref="Write{T}"/>.</summary>
    /// <param name="stream">A writable stream positioned where the file starts.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="shape">The shape of the whole array, outermost dimension first.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves <paramref name="stream"/> open.</param>
    public NpyWriter(Stream stream, NpyDataType dataType, ReadOnlySpan<long> shape, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("NpyWriter writes little-endian data and needs a little-endian machine.");
        }

        Header = new NpyHeader(dataType, shape);
        _elementType = NpyHeader.ClrTypeOf(dataType);
        _stream = stream;
        _ownsStream = !leaveOpen;
        _stream.Write(Header.Encode());
    }

    /// <summary>The header written at the start of the file.</summary>
    public NpyHeader Header { get; }

    /// <summary>Elements written so far.</summary>
    public long ElementsWritten { get; private set; }

    /// <summary>Elements still expected (<see cref="NpyHeader.ElementCount"/> - <see cref="ElementsWritten"/>).</summary>
    public long ElementsRemaining => Header.ElementCount - ElementsWritten;

    /// <summary>
    /// Creates (or replaces) the file at <paramref name="path"/> and writes its header. With
    /// <paramref name="preallocate"/>, the file system reserves the whole file first, so a disk too small
    /// for it fails here with an <see cref="IOException"/> rather than part-way through.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="shape">The shape of the whole array.</param>
    /// <param name="preallocate">Whether to reserve the file's full size on disk up front.</param>
    /// <returns>The writer; call <see cref="Complete"/> after the last element, then dispose it.</returns>
    /// <exception cref="IOException">The file cannot be created, or (with <paramref name="preallocate"/>) the disk is too small.</exception>
    public static NpyWriter Create(string path, NpyDataType dataType, ReadOnlySpan<long> shape, bool preallocate = true) =>
        Create(path, dataType, shape, preallocate, computeSha256: false);

    /// <summary>
    /// Creates (or replaces) the file at <paramref name="path"/> as <see cref="Create(string, NpyDataType, ReadOnlySpan{long}, bool)"/>
    /// does; with <paramref name="computeSha256"/>, the SHA-256 of every byte written (header included) is computed on a
    /// worker thread as the file is written, and <see cref="Sha256"/> holds it after <see cref="Complete"/>: the same
    /// value as <c>sha256sum</c> of the finished file, without reading it back.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="dataType">The element type.</param>
    /// <param name="shape">The shape of the whole array.</param>
    /// <param name="preallocate">Whether to reserve the file's full size on disk up front.</param>
    /// <param name="computeSha256">Whether to hash the file while it is written.</param>
    /// <returns>The writer; call <see cref="Complete"/> after the last element, then dispose it.</returns>
    /// <exception cref="IOException">The file cannot be created, or (with <paramref name="preallocate"/>) the disk is too small.</exception>
    public static NpyWriter Create(string path, NpyDataType dataType, ReadOnlySpan<long> shape, bool preallocate, bool computeSha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var header = new NpyHeader(dataType, shape);
        if (preallocate)
        {
            EnsureFreeSpace(path, header.FileLength);
        }

        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
            PreallocationSize = preallocate ? header.FileLength : 0,
        };
        var stream = new FileStream(path, options);
        var sha256 = computeSha256 ? new BackgroundSha256() : null;
        try
        {
            // The header is written by the constructor, before the hash exists: hash it from the header itself.
            var writer = new NpyWriter(stream, dataType, shape);
            if (sha256 is not null)
            {
                sha256.Append(writer.Header.Encode());
                writer._sha256 = sha256;
            }

            return writer;
        }
        catch
        {
            sha256?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Lower-case hex SHA-256 of the whole file, once <see cref="Complete"/> has succeeded on a writer created with
    /// <c>computeSha256</c>; otherwise <see langword="null"/>.
    /// </summary>
    public string? Sha256 => _sha256Hex;

    /// <summary>
    /// Refuses, before touching the disk, a file larger than the free space of its file system: a
    /// preallocation that fails part-way fills the disk for a moment, and every other writer on it
    /// (other processes included) would see "no space left" too.
    /// </summary>
    private static void EnsureFreeSpace(string path, long bytes)
    {
        long available;
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            available = new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // Unknown free space: let the preallocation decide.
        }

        if (bytes > available)
        {
            const int enospc = 28;
            throw new IOException(
                $"No space left on device: '{path}' needs {bytes:N0} bytes and its file system has {available:N0} bytes available.",
                enospc);
        }
    }

    /// <summary>Appends elements (C order). <typeparamref name="T"/> must be the element type's C# type.</summary>
    /// <typeparam name="T"><see cref="sbyte"/> for Int8, <see cref="byte"/> for UInt8, <see cref="float"/> for Float32.</typeparam>
    /// <param name="values">The next elements.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> does not match the element type.</exception>
    /// <exception cref="InvalidOperationException">More elements than the shape holds.</exception>
    public void Write<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (typeof(T) != _elementType)
        {
            throw new ArgumentException($"This array holds {Header.Descr} ({_elementType.Name}) elements, not {typeof(T).Name}.", nameof(values));
        }

        if (values.Length > ElementsRemaining)
        {
            throw new InvalidOperationException(
                $"Writing {values.Length} elements would exceed the declared shape ({ElementsRemaining} of {Header.ElementCount} remain).");
        }

        var bytes = MemoryMarshal.AsBytes(values);
        _stream.Write(bytes);
        _sha256?.Append(bytes);
        ElementsWritten += values.Length;
    }

    /// <summary>Checks that every element was written and flushes the file to disk.</summary>
    /// <exception cref="InvalidOperationException">Fewer elements were written than the shape holds.</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ElementsRemaining != 0)
        {
            throw new InvalidOperationException(
                $"Only {ElementsWritten} of the {Header.ElementCount} elements the shape declares were written.");
        }

        if (_stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
        else
        {
            _stream.Flush();
        }

        _sha256Hex = _sha256?.Finish();
        _completed = true;
    }

    /// <summary>Whether <see cref="Complete"/> succeeded.</summary>
    public bool IsCompleted => _completed;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _sha256?.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }
}
