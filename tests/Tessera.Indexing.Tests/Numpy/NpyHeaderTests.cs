using System.Text;
using Tessera.Indexing.Numpy;

namespace Tessera.Indexing.Tests.Numpy;

public sealed class NpyHeaderTests
{
    [Theory]
    [InlineData("{'descr': '|i1', 'fortran_order': False, 'shape': (10980, 10980, 128), }", NpyDataType.Int8, new long[] { 10980, 10980, 128 })]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", NpyDataType.Float32, new long[] { 5 })]
    [InlineData("{\"descr\":\"|u1\",\"shape\":(),\"fortran_order\":False}", NpyDataType.UInt8, new long[0])]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3L, 4L), }", NpyDataType.Float32, new long[] { 3, 4 })]
    public void Dictionaries_as_numpy_and_python2_write_them_parse(string dictionary, NpyDataType type, long[] shape)
    {
        var header = NpyHeader.Parse(Build(dictionary));

        Assert.Equal(type, header.DataType);
        Assert.Equal(shape, header.Shape);
        Assert.False(header.FortranOrder);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'shape': (3,), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "shape")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", "'>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-3,), }", "non-negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,) ", "dictionary")]
    public void Malformed_or_unsupported_headers_are_refused_naming_the_problem(string dictionary, string expected)
    {
        var error = Assert.Throws<NpyFormatException>(() => NpyHeader.Parse(Build(dictionary)));

        Assert.Contains(expected, error.Message);
    }

    private static byte[] Build(string dictionary)
    {
        var text = Encoding.Latin1.GetBytes(dictionary + "\n");
        var bytes = new byte[10 + text.Length];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)text.Length).CopyTo(bytes, 8);
        text.CopyTo(bytes, 10);
        return bytes;
    }
}
