using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>
/// Conversions from a raster's stored values to a wider element type that every value survives
/// exactly (bytes to floats, 16-bit integers to 32-bit ones…), where GDAL's conversion and a plain
/// numeric conversion agree; anything narrower is left to GDAL, which rounds and clamps.
/// </summary>
internal static class StoredValueConversion
{
    /// <summary>Whether every <paramref name="stored"/> value converts exactly to <paramref name="target"/>.</summary>
    public static bool IsExact(RasterDataType stored, GdalDataType target) => (stored, target) switch
    {
        (RasterDataType.Byte, GdalDataType.UInt16 or GdalDataType.Int16 or GdalDataType.UInt32 or GdalDataType.Int32 or GdalDataType.Float32 or GdalDataType.Float64) => true,
        (RasterDataType.UInt16, GdalDataType.UInt32 or GdalDataType.Int32 or GdalDataType.Float32 or GdalDataType.Float64) => true,
        (RasterDataType.Int16, GdalDataType.Int32 or GdalDataType.Float32 or GdalDataType.Float64) => true,
        (RasterDataType.UInt32 or RasterDataType.Int32 or RasterDataType.Float32, GdalDataType.Float64) => true,
        _ => false,
    };

    /// <summary>Whether signed bytes are converted here to <paramref name="target"/> (saturating for unsigned targets, as GDAL clamps).</summary>
    public static bool FromSignedBytes(GdalDataType target) =>
        target is GdalDataType.Byte or GdalDataType.UInt16 or GdalDataType.Int16 or GdalDataType.UInt32 or GdalDataType.Int32 or GdalDataType.Float32 or GdalDataType.Float64;

    /// <summary>Converts stored values (raw bytes of <paramref name="stored"/>) to <typeparamref name="T"/>; the pair must be <see cref="IsExact"/>.</summary>
    public static void Widen<T>(RasterDataType stored, ReadOnlySpan<byte> values, Span<T> destination)
        where T : unmanaged
    {
        switch (stored)
        {
            case RasterDataType.Byte:
                To(values, destination);
                break;
            case RasterDataType.UInt16:
                To(MemoryMarshal.Cast<byte, ushort>(values), destination);
                break;
            case RasterDataType.Int16:
                To(MemoryMarshal.Cast<byte, short>(values), destination);
                break;
            case RasterDataType.UInt32:
                To(MemoryMarshal.Cast<byte, uint>(values), destination);
                break;
            case RasterDataType.Int32:
                To(MemoryMarshal.Cast<byte, int>(values), destination);
                break;
            case RasterDataType.Float32:
                To(MemoryMarshal.Cast<byte, float>(values), destination);
                break;
            default:
                throw new NotSupportedException($"No widening from {stored}.");
        }
    }

    private static void To<TFrom, T>(ReadOnlySpan<TFrom> source, Span<T> destination)
        where TFrom : unmanaged, INumberBase<TFrom>
        where T : unmanaged
    {
        if (typeof(T) == typeof(ushort))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, ushort>(destination));
        }
        else if (typeof(T) == typeof(short))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, short>(destination));
        }
        else if (typeof(T) == typeof(uint))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, uint>(destination));
        }
        else if (typeof(T) == typeof(int))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, int>(destination));
        }
        else if (typeof(T) == typeof(float))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, float>(destination));
        }
        else if (typeof(T) == typeof(double))
        {
            TensorPrimitives.ConvertChecked(source, MemoryMarshal.Cast<T, double>(destination));
        }
        else
        {
            throw new NotSupportedException($"No widening from {typeof(TFrom).Name} to {typeof(T).Name}.");
        }
    }
}
