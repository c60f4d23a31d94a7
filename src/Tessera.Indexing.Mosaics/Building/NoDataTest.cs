using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Decides whether a pixel is nodata: every band 0, or every band equal to the declared nodata value
/// (NaN matching NaN); for Float32 also any NaN or infinite band, for scaled Int8 a zero or non-finite scale.
/// </summary>
internal readonly struct NoDataTest
{
    private readonly bool _hasByte;
    private readonly byte _byte;
    private readonly bool _hasSByte;
    private readonly sbyte _sbyte;
    private readonly bool _hasFloat;
    private readonly float _float;

    public NoDataTest(double? noData)
    {
        if (noData is not { } value)
        {
            return;
        }

        var integral = !double.IsNaN(value) && Math.Floor(value) == value;
        _hasByte = integral && value is >= byte.MinValue and <= byte.MaxValue;
        _byte = _hasByte ? (byte)value : (byte)0;
        _hasSByte = integral && value is >= sbyte.MinValue and <= sbyte.MaxValue;
        _sbyte = _hasSByte ? (sbyte)value : (sbyte)0;
        _hasFloat = true;
        _float = (float)value;
    }

    public bool IsNoData<T>(ReadOnlySpan<T> pixel, float scale)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            var values = MemoryMarshal.Cast<T, byte>(pixel);
            return EmbeddingKernels.IsAll(values, 0) || (_hasByte && EmbeddingKernels.IsAll(values, _byte));
        }

        if (typeof(T) == typeof(sbyte))
        {
            var values = MemoryMarshal.Cast<T, sbyte>(pixel);
            return scale == 0 || !float.IsFinite(scale) || EmbeddingKernels.IsAll(values, 0) || (_hasSByte && EmbeddingKernels.IsAll(values, _sbyte));
        }

        var floats = MemoryMarshal.Cast<T, float>(pixel);
        return EmbeddingKernels.IsAll(floats, 0f)
            || (_hasFloat && EmbeddingKernels.IsAll(floats, _float))
            || !float.IsFinite(TensorPrimitives.Sum(floats));
    }
}
