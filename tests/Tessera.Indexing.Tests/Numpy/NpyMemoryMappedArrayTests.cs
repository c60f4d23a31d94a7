using Tessera.Indexing.Numpy;
using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Numpy;

public sealed class NpyMemoryMappedArrayTests
{
    private const string SaveScript = """
        import sys, numpy as np
        kind, path = sys.argv[1], sys.argv[2]
        rng = np.random.default_rng(5)
        if kind == 'i1':
            a = rng.integers(-128, 128, size=(6, 5, 4), dtype=np.int8)
        elif kind == 'u1':
            a = rng.integers(0, 256, size=(7, 3), dtype=np.uint8)
        elif kind == 'f4':
            a = rng.standard_normal((9, 4)).astype(np.float32)
        elif kind == 'fortran':
            a = np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32))
        elif kind == 'f8':
            a = rng.standard_normal((3, 4))
        elif kind == 'v2':
            a = rng.standard_normal((2, 3)).astype(np.float32)
            with open(path, 'wb') as f:
                np.lib.format.write_array(f, a, version=(2, 0))
            a.tofile(path + '.raw')
            sys.exit(0)
        np.save(path, a)
        np.ascontiguousarray(a).tofile(path + '.raw')
        """;

    [Fact]
    public void Rows_of_a_numpy_float32_array_are_read_through_the_memory_map()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f.npy");
        Python.Run(SaveScript, "f4", path);
        var expected = ReadRaw<float>(path + ".raw");

        using var array = NpyMemoryMappedArray.Open(path);

        Assert.Equal(NpyDataType.Float32, array.DataType);
        Assert.Equal(9, array.RowCount);
        Assert.Equal(4, array.RowLength);
        Assert.Equal(expected.AsSpan(4 * 4, 4).ToArray(), array.GetRow<float>(4).ToArray());
        Assert.Equal(expected.AsSpan(2 * 4, 3 * 4).ToArray(), array.GetRows<float>(2, 3).ToArray());
        Assert.Equal(expected, array.AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_numpy_int8_array_of_three_dimensions_reads_with_rows_of_the_inner_two()
    {
        using var dir = new TempDirectory();
        var path = dir.File("i.npy");
        Python.Run(SaveScript, "i1", path);
        var expected = ReadRaw<sbyte>(path + ".raw");

        using var array = NpyMemoryMappedArray.Open(path);

        Assert.Equal(NpyDataType.Int8, array.DataType);
        Assert.Equal("|i1", array.Header.Descr);
        Assert.Equal([6L, 5, 4], array.Shape);
        Assert.Equal(20, array.RowLength);
        Assert.Equal(expected.AsSpan(5 * 20, 20).ToArray(), array.GetRow<sbyte>(5).ToArray());
    }

    [Fact]
    public void A_numpy_uint8_array_reads_as_bytes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("u.npy");
        Python.Run(SaveScript, "u1", path);

        using var array = NpyMemoryMappedArray.Open(path);

        Assert.Equal(ReadRaw<byte>(path + ".raw"), array.AsSpan<byte>().ToArray());
    }

    [Fact]
    public void A_version_2_header_is_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("v2.npy");
        Python.Run(SaveScript, "v2", path);

        using var array = NpyMemoryMappedArray.Open(path);

        Assert.Equal(ReadRaw<float>(path + ".raw"), array.AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_fortran_order_array_is_refused_with_a_clear_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("fo.npy");
        Python.Run(SaveScript, "fortran", path);

        Assert.True(NpyHeader.Read(path).FortranOrder);
        var error = Assert.Throws<NpyFormatException>(() => NpyMemoryMappedArray.Open(path));
        Assert.Contains("Fortran order", error.Message);
    }

    [Fact]
    public void A_float64_array_is_refused_naming_its_dtype()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f8.npy");
        Python.Run(SaveScript, "f8", path);

        var error = Assert.Throws<NpyFormatException>(() => NpyMemoryMappedArray.Open(path));
        Assert.Contains("'<f8'", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_npy_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.npy");
        File.WriteAllText(path, "this is not numpy");

        var error = Assert.Throws<NpyFormatException>(() => NpyMemoryMappedArray.Open(path));
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused_with_the_sizes()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.npy");
        using (var writer = NpyWriter.Create(path, NpyDataType.Float32, [10, 4], preallocate: false))
        {
            writer.Write<float>(new float[20]);
        }

        var error = Assert.Throws<NpyFormatException>(() => NpyMemoryMappedArray.Open(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Reading_with_the_wrong_element_type_or_past_the_end_throws()
    {
        using var dir = new TempDirectory();
        var path = dir.File("w.npy");
        using (var writer = NpyWriter.Create(path, NpyDataType.UInt8, [3, 2]))
        {
            writer.Write<byte>([1, 2, 3, 4, 5, 6]);
            writer.Complete();
        }

        using var array = NpyMemoryMappedArray.Open(path);

        Assert.Equal([5, 6], array.GetRow<byte>(2).ToArray());
        Assert.Throws<ArgumentException>(() => array.GetRow<float>(0).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => array.GetRow<byte>(3).ToArray());
    }

    private static T[] ReadRaw<T>(string path)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(path)).ToArray();
}
