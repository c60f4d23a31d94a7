using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// Undoes TIFF predictors in place, row by row, as libtiff's decoder does (little-endian host and file):
/// horizontal differencing (2) on samples read as unsigned integers of the sample width, and the
/// floating-point predictor (3), which differences bytes and then splits each value's bytes into
/// planes, most significant first.
/// </summary>
internal static class TiffPredictors
{
    /// <summary>Undoes <paramref name="predictor"/> on <paramref name="rowCount"/> rows of <paramref name="rowBytes"/> bytes each.</summary>
    /// <param name="data">The decoded rows.</param>
    /// <param name="predictor">The predictor.</param>
    /// <param name="rowBytes">Bytes per row (block width x samples per pixel x sample size).</param>
    /// <param name="rowCount">Rows to undo.</param>
    /// <param name="samplesPerPixel">Samples per pixel in the block.</param>
    /// <param name="sampleSize">Bytes per sample.</param>
    /// <param name="scratch">At least <paramref name="rowBytes"/> bytes, for the floating-point predictor.</param>
    public static void Undo(Span<byte> data, TiffPredictor predictor, int rowBytes, int rowCount, int samplesPerPixel, int sampleSize, Span<byte> scratch)
    {
        for (var r = 0; r < rowCount; r++)
        {
            var row = data.Slice(r * rowBytes, rowBytes);
            if (predictor == TiffPredictor.Horizontal)
            {
                switch (sampleSize)
                {
                    case 1:
                        Accumulate(row, samplesPerPixel);
                        break;
                    case 2:
                        Accumulate(MemoryMarshal.Cast<byte, ushort>(row), samplesPerPixel);
                        break;
                    case 4:
                        Accumulate(MemoryMarshal.Cast<byte, uint>(row), samplesPerPixel);
                        break;
                    default:
                        Accumulate(MemoryMarshal.Cast<byte, ulong>(row), samplesPerPixel);
                        break;
                }
            }
            else if (predictor == TiffPredictor.FloatingPoint)
            {
                UndoFloatingPointRow(row, samplesPerPixel, sampleSize, scratch[..rowBytes]);
            }
        }
    }

    /// <summary><c>row[i] += row[i - stride]</c> from left to right, wrapping, whole pixels at a time when a pixel is wide.</summary>
    private static void Accumulate<T>(Span<T> row, int stride)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (stride >= 8)
        {
            for (var p = stride; p + stride <= row.Length; p += stride)
            {
                var current = row.Slice(p, stride);
                TensorPrimitives.Add(row.Slice(p - stride, stride), current, current);
            }

            return;
        }

        for (var i = stride; i < row.Length; i++)
        {
            row[i] += row[i - stride];
        }
    }

    private static void UndoFloatingPointRow(Span<byte> row, int samplesPerPixel, int sampleSize, Span<byte> scratch)
    {
        Accumulate(row, samplesPerPixel);
        row.CopyTo(scratch);
        var count = row.Length / sampleSize;
        for (var k = 0; k < sampleSize; k++)
        {
            // Byte k (least significant first) of every value sits in plane sampleSize - 1 - k.
            var plane = scratch.Slice((sampleSize - 1 - k) * count, count);
            for (var i = 0; i < count; i++)
            {
                row[(i * sampleSize) + k] = plane[i];
            }
        }
    }
}
