using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Interop.Gdal;

/// <summary>Maps between .NET element types, <see cref="RasterDataType"/> and <see cref="GdalDataType"/>.</summary>
internal static class GdalDataTypes
{
    /// <summary>The GDAL type of <typeparamref name="T"/>; <see cref="GdalDataType.Int8"/> for <see cref="sbyte"/> (callers handle GDAL before 3.7).</summary>
    public static GdalDataType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            return GdalDataType.Byte;
        }

        if (typeof(T) == typeof(sbyte))
        {
            return GdalDataType.Int8;
        }

        if (typeof(T) == typeof(ushort))
        {
            return GdalDataType.UInt16;
        }

        if (typeof(T) == typeof(short))
        {
            return GdalDataType.Int16;
        }

        if (typeof(T) == typeof(uint))
        {
            return GdalDataType.UInt32;
        }

        if (typeof(T) == typeof(int))
        {
            return GdalDataType.Int32;
        }

        if (typeof(T) == typeof(float))
        {
            return GdalDataType.Float32;
        }

        if (typeof(T) == typeof(double))
        {
            return GdalDataType.Float64;
        }

        throw new NotSupportedException(
            $"Element type {typeof(T).Name} is not supported; use byte, sbyte, short, ushort, int, uint, float or double.");
    }

    /// <summary>The raster type for a GDAL band type.</summary>
    public static RasterDataType ToRaster(GdalDataType type) => type switch
    {
        GdalDataType.Byte => RasterDataType.Byte,
        GdalDataType.Int8 => RasterDataType.Int8,
        GdalDataType.UInt16 => RasterDataType.UInt16,
        GdalDataType.Int16 => RasterDataType.Int16,
        GdalDataType.UInt32 => RasterDataType.UInt32,
        GdalDataType.Int32 => RasterDataType.Int32,
        GdalDataType.Float32 => RasterDataType.Float32,
        GdalDataType.Float64 => RasterDataType.Float64,
        _ => RasterDataType.Unknown,
    };

    /// <summary>The GDAL type for a raster type (<see cref="RasterDataType.Int8"/> maps to <see cref="GdalDataType.Int8"/>).</summary>
    public static GdalDataType FromRaster(RasterDataType type) => type switch
    {
        RasterDataType.Byte => GdalDataType.Byte,
        RasterDataType.Int8 => GdalDataType.Int8,
        RasterDataType.UInt16 => GdalDataType.UInt16,
        RasterDataType.Int16 => GdalDataType.Int16,
        RasterDataType.UInt32 => GdalDataType.UInt32,
        RasterDataType.Int32 => GdalDataType.Int32,
        RasterDataType.Float32 => GdalDataType.Float32,
        RasterDataType.Float64 => GdalDataType.Float64,
        _ => throw new NotSupportedException($"Raster data type {type} has no GDAL equivalent."),
    };

    /// <summary>Bytes per value.</summary>
    public static int SizeOf(GdalDataType type) => type switch
    {
        GdalDataType.Byte or GdalDataType.Int8 => 1,
        GdalDataType.UInt16 or GdalDataType.Int16 => 2,
        GdalDataType.UInt32 or GdalDataType.Int32 or GdalDataType.Float32 or GdalDataType.CInt16 => 4,
        GdalDataType.Float64 or GdalDataType.UInt64 or GdalDataType.Int64 or GdalDataType.CInt32 or GdalDataType.CFloat32 => 8,
        GdalDataType.CFloat64 => 16,
        _ => 0,
    };
}
