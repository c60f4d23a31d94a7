using System.Text;
using System.Text.Json;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Numpy;

public sealed class NpyWriterTests
{
    private const string LoadScript = """
        import sys, json, numpy as np
        a = np.load(sys.argv[1], mmap_mode='r')
        print(json.dumps({"dtype": a.dtype.str, "shape": list(a.shape), "fortran": bool(np.isfortran(a)) if a.ndim > 1 else False,
                          "values": np.asarray(a, dtype=np.float64).ravel().tolist()}))
        """;

    [Theory]
    [InlineData(new long[] { 5, 3 })]
    [InlineData(new long[] { 7 })]
    [InlineData(new long[] { 2, 3, 4 })]
    [InlineData(new long[] { 0, 128 })]
    public void Float32_written_block_by_block_is_read_back_by_numpy_load_with_the_same_shape_and_values(long[] shape)
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.npy");
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var values = Enumerable.Range(0, count).Select(i => (i * 0.37f) - 3.5f).ToArray();

        using (var writer = NpyWriter.Create(path, NpyDataType.Float32, shape))
        {
            // Odd block sizes: the writer must not care how the elements are split.
            for (var start = 0; start < count; start += 4)
            {
                writer.Write<float>(values.AsSpan(start, Math.Min(4, count - start)));
            }

            writer.Complete();
        }

        var py = Python.RunJson(LoadScript, path);
        Assert.Equal("<f4", py.GetProperty("dtype").GetString());
        Assert.Equal(shape, py.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        Assert.Equal(values, py.GetProperty("values").EnumerateArray().Select(e => (float)e.GetDouble()).ToArray());
    }

    [Fact]
    public void A_file_larger_than_the_free_space_is_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        var path = dir.File("too-big.npy");
        var free = new DriveInfo(dir.Path).AvailableFreeSpace;
        var before = free;

        var error = Assert.Throws<IOException>(() => NpyWriter.Create(path, NpyDataType.Float32, [(free / 4 / 128) + 1_000_000, 128]));

        Assert.Equal(28, error.HResult); // ENOSPC: the mosaic indexer reports it as a full disk
        Assert.Contains("No space left", error.Message);
        Assert.False(File.Exists(path));
        Assert.True(new DriveInfo(dir.Path).AvailableFreeSpace > before / 2, "nothing was reserved on disk");
    }

    [Fact]
    public void Uint8_is_read_back_by_numpy_load_as_uint8()
    {
        using var dir = new TempDirectory();
        var path = dir.File("b.npy");
        var values = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();
        using (var writer = NpyWriter.Create(path, NpyDataType.UInt8, [100, 3]))
        {
            writer.Write<byte>(values);
            writer.Complete();
        }

        var py = Python.RunJson(LoadScript, path);
        Assert.Equal("|u1", py.GetProperty("dtype").GetString());
        Assert.Equal(values, py.GetProperty("values").EnumerateArray().Select(e => (byte)e.GetDouble()).ToArray());
    }

    [Theory]
    [InlineData(new long[] { 3 })]
    [InlineData(new long[] { 19_430_464, 128 })]
    [InlineData(new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })]
    public void The_header_is_padded_so_the_data_starts_at_a_multiple_of_64_bytes_and_ends_with_a_newline(long[] shape)
    {
        var header = new NpyHeader(NpyDataType.Float32, shape);

        var bytes = header.Encode();

        Assert.Equal(0, bytes.Length % 64);
        Assert.Equal(header.DataOffset, bytes.Length);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(bytes.Length - 10, BitConverter.ToUInt16(bytes, 8));
        var text = Encoding.Latin1.GetString(bytes, 10, bytes.Length - 10);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (", text);
    }

    [Fact]
    public void Complete_throws_when_fewer_elements_were_written_than_the_shape_declares()
    {
        using var stream = new MemoryStream();
        using var writer = new NpyWriter(stream, NpyDataType.UInt8, [4, 4]);
        writer.Write<byte>(new byte[15]);

        var error = Assert.Throws<InvalidOperationException>(writer.Complete);
        Assert.Contains("15 of the 16", error.Message);
    }

    [Fact]
    public void Writing_more_elements_than_the_shape_declares_throws()
    {
        using var stream = new MemoryStream();
        using var writer = new NpyWriter(stream, NpyDataType.UInt8, [2, 2]);
        writer.Write<byte>(new byte[3]);

        Assert.Throws<InvalidOperationException>(() => writer.Write<byte>(new byte[2]));
    }

    [Fact]
    public void Writing_elements_of_another_type_than_the_dtype_throws()
    {
        using var stream = new MemoryStream();
        using var writer = new NpyWriter(stream, NpyDataType.Float32, [2]);

        Assert.Throws<ArgumentException>(() => writer.Write<byte>(new byte[2]));
    }

    [Fact]
    public void A_file_too_large_for_the_disk_fails_at_creation_with_an_io_exception_and_leaves_no_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge.npy");
        var free = new DriveInfo(dir.Path).AvailableFreeSpace;

        Assert.ThrowsAny<IOException>(() => NpyWriter.Create(path, NpyDataType.Float32, [(free / 4) + (1L << 30)]));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_header_round_trips_through_its_own_parser()
    {
        var header = new NpyHeader(NpyDataType.Int8, [3, 5, 7]);

        var parsed = NpyHeader.Parse(header.Encode());

        Assert.Equal(NpyDataType.Int8, parsed.DataType);
        Assert.Equal([3L, 5, 7], parsed.Shape);
        Assert.False(parsed.FortranOrder);
        Assert.Equal(header.DataOffset, parsed.DataOffset);
        Assert.Equal(105, parsed.ElementCount);
    }

    [Fact]
    public void A_zero_dimensional_array_is_read_by_numpy_load_as_one_value()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.npy");
        using (var writer = NpyWriter.Create(path, NpyDataType.Float32, []))
        {
            writer.Write<float>([2.5f]);
            writer.Complete();
        }

        var py = Python.RunJson(LoadScript, path);
        Assert.Equal(JsonValueKind.Array, py.GetProperty("shape").ValueKind);
        Assert.Equal(0, py.GetProperty("shape").GetArrayLength());
        Assert.Equal(2.5, py.GetProperty("values")[0].GetDouble());
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(3, 7)]
    [InlineData(40_000, 128)]
    public void A_hashing_writer_reports_the_sha256_of_the_finished_file(int rows, int columns)
    {
        using var dir = new TempDirectory();
        var path = dir.File("hashed.npy");
        var random = new Random(rows + columns);
        var values = new byte[rows * columns];
        random.NextBytes(values);
        string? beforeComplete;
        string? hash;

        using (var writer = NpyWriter.Create(path, NpyDataType.UInt8, [rows, columns], preallocate: true, computeSha256: true))
        {
            // Uneven pieces, some larger than the hasher's 4 MiB chunks.
            for (var start = 0; start < values.Length;)
            {
                var length = Math.Min(values.Length - start, 1 + random.Next(6 << 20));
                writer.Write<byte>(values.AsSpan(start, length));
                start += length;
            }

            beforeComplete = writer.Sha256;
            writer.Complete();
            hash = writer.Sha256;
        }

        Assert.Null(beforeComplete);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), hash);
    }

    [Fact]
    public void A_writer_created_without_hashing_reports_no_sha256()
    {
        using var dir = new TempDirectory();
        using var writer = NpyWriter.Create(dir.File("plain.npy"), NpyDataType.Float32, [2, 2]);
        writer.Write<float>([1, 2, 3, 4]);

        writer.Complete();

        Assert.Null(writer.Sha256);
    }

    [Fact]
    public async Task A_hashing_writer_disposed_before_complete_leaves_no_hash_and_no_thread_waiting()
    {
        using var dir = new TempDirectory();
        var path = dir.File("cut.npy");
        var written = Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251)).ToArray();
        var writer = NpyWriter.Create(path, NpyDataType.UInt8, [1000, 1000], preallocate: true, computeSha256: true);
        writer.Write<byte>(written);
        var header = writer.Header.Encode();

        // Dispose waits for the hashing worker: a worker never told to stop would hang here. The guard only turns
        // such a hang into a failure; it is not a speed check.
        await Task.Run(writer.Dispose).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Null(writer.Sha256);
        Assert.False(writer.IsCompleted);
        Assert.Throws<ObjectDisposedException>(writer.Complete);
        Assert.Throws<ObjectDisposedException>(() => writer.Write<byte>([1]));
        Assert.Null(writer.Sha256);
        Assert.False(writer.IsCompleted);
        writer.Dispose(); // A second dispose is a no-op.

        // The partial file stays, closed (FileShare.None would fail on a handle still open), holding the header and
        // exactly the bytes written, in order.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        Assert.True(file.Length >= header.Length + written.Length, $"file holds {file.Length} bytes");
        var prefix = new byte[header.Length + written.Length];
        file.ReadExactly(prefix);
        Assert.Equal(header, prefix[..header.Length]);
        Assert.Equal(written, prefix[header.Length..]);
    }
}
