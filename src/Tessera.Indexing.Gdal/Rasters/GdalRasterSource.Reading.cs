using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters;

public partial class GdalRasterSource
{
    /// <summary>
    /// Reads through <see cref="_direct"/> when the element type is the stored one, or an exact widening
    /// of it (then converted here); <see langword="false"/> leaves the read to GDAL.
    /// </summary>
    private bool TryReadDirect<T>((int X, int Y, int Width, int Height) window, Span<T> destination, GdalDataType target)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
        var stored = DataType;
        if (GdalDataTypes.ToRaster(target) == stored)
        {
            _direct!.Read(window, MemoryMarshal.AsBytes(destination));
            return true;
        }

        if (!StoredValueConversion.IsExact(stored, target) && !(stored == RasterDataType.Int8 && StoredValueConversion.FromSignedBytes(target)))
        {
            return false;
        }

        var bytes = destination.Length * _direct!.Layout.SampleSize;
        var scratch = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var values = scratch.AsSpan(0, bytes);
            _direct.Read(window, values);
            if (stored == RasterDataType.Int8)
            {
                Convert(MemoryMarshal.Cast<byte, sbyte>(values), destination);
            }
            else
            {
                StoredValueConversion.Widen(stored, values, destination);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void LocateBlocks(int plane, int blockY, Span<long> offsets, Span<long> sizes)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
            GdalProxy.BlockLocations(_dataset, plane + 1, blockY, offsets, sizes);
        }
    }

    private void ReadBlocksThroughGdal((int X, int Y, int Width, int Height) region, Span<byte> destination, long lineBytes)
    {
        // The stored type: GDT_Byte for SIGNEDBYTE files gives the same bits.
        var type = _signedBytesAsByte ? GdalDataType.Byte : GdalDataTypes.FromRaster(DataType);
        var size = GdalDataTypes.SizeOf(type);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_dataset.IsClosed, this);
            GdalProxy.Read(_dataset, region, destination, region.Width, region.Height, type, bandMap: default, BandCount, ((long)size * BandCount, lineBytes, size));
        }
    }

    private void ReadInterleaved<T>((int X, int Y, int Width, int Height) window, Span<T> destination, GdalDataType bufferType)
        where T : unmanaged
    {
        var size = GdalDataTypes.SizeOf(bufferType);
        var pixel = (long)BandCount * size;
        GdalProxy.Read(
            _dataset,
            window,
            destination,
            window.Width,
            window.Height,
            bufferType,
            bandMap: default,
            BandCount,
            (pixel, pixel * window.Width, size));
    }

    private void ReadConverted<TIntermediate, T>((int X, int Y, int Width, int Height) window, Span<T> destination, GdalDataType intermediateType)
        where TIntermediate : unmanaged
        where T : unmanaged
    {
        var scratch = ArrayPool<TIntermediate>.Shared.Rent(destination.Length);
        try
        {
            var values = scratch.AsSpan(0, destination.Length);
            ReadInterleaved(window, values, intermediateType);
            Convert(values, destination);
        }
        finally
        {
            ArrayPool<TIntermediate>.Shared.Return(scratch);
        }
    }

    private static void Convert<TFrom, TTo>(Span<TFrom> source, Span<TTo> destination)
        where TFrom : unmanaged
        where TTo : unmanaged
    {
        if (typeof(TFrom) == typeof(sbyte))
        {
            var from = MemoryMarshal.Cast<TFrom, sbyte>(source);
            if (typeof(TTo) == typeof(float))
            {
                TensorPrimitives.ConvertChecked(from, MemoryMarshal.Cast<TTo, float>(destination));
            }
            else if (typeof(TTo) == typeof(double))
            {
                TensorPrimitives.ConvertChecked(from, MemoryMarshal.Cast<TTo, double>(destination));
            }
            else if (typeof(TTo) == typeof(short))
            {
                TensorPrimitives.ConvertChecked(from, MemoryMarshal.Cast<TTo, short>(destination));
            }
            else if (typeof(TTo) == typeof(int))
            {
                TensorPrimitives.ConvertChecked(from, MemoryMarshal.Cast<TTo, int>(destination));
            }
            else if (typeof(TTo) == typeof(byte))
            {
                TensorPrimitives.ConvertSaturating(from, MemoryMarshal.Cast<TTo, byte>(destination));
            }
            else if (typeof(TTo) == typeof(ushort))
            {
                TensorPrimitives.ConvertSaturating(from, MemoryMarshal.Cast<TTo, ushort>(destination));
            }
            else if (typeof(TTo) == typeof(uint))
            {
                TensorPrimitives.ConvertSaturating(from, MemoryMarshal.Cast<TTo, uint>(destination));
            }
            else
            {
                throw new NotSupportedException($"Cannot convert signed bytes to {typeof(TTo).Name}.");
            }
        }
        else if (typeof(TFrom) == typeof(short) && typeof(TTo) == typeof(sbyte))
        {
            TensorPrimitives.ConvertSaturating(MemoryMarshal.Cast<TFrom, short>(source), MemoryMarshal.Cast<TTo, sbyte>(destination));
        }
        else
        {
            throw new NotSupportedException($"Cannot convert {typeof(TFrom).Name} to {typeof(TTo).Name}.");
        }
    }
}
