using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// Band planes to pixel-interleaved values: <c>destination[(c * bands + b)] = plane b [c]</c>, a
/// transpose. 1- and 4-byte samples go through 16x16 and 4x4 SSE2 register transposes; the rest (and
/// the edges) through a scalar loop.
/// </summary>
internal static unsafe class PlaneInterleaver
{
    /// <summary>Interleaves <paramref name="count"/> pixels of <paramref name="bands"/> planes.</summary>
    /// <param name="planes">Plane 0's first sample; plane <c>b</c> starts <c>b * planeStride</c> bytes later.</param>
    /// <param name="planeStride">Bytes from one plane to the next.</param>
    /// <param name="bands">Number of planes.</param>
    /// <param name="sampleSize">Bytes per sample (1, 2, 4 or 8).</param>
    /// <param name="count">Pixels.</param>
    /// <param name="destination">Where pixel 0's band 0 goes; <c>count * bands * sampleSize</c> bytes are written.</param>
    public static void Interleave(byte* planes, long planeStride, int bands, int sampleSize, int count, byte* destination)
    {
        switch (sampleSize)
        {
            case 1:
                InterleaveBytes(planes, planeStride, bands, count, destination);
                break;
            case 2:
                Scalar<ushort>(planes, planeStride, bands, 0, bands, 0, count, destination);
                break;
            case 4:
                InterleaveInts(planes, planeStride, bands, count, destination);
                break;
            default:
                Scalar<ulong>(planes, planeStride, bands, 0, bands, 0, count, destination);
                break;
        }
    }

    private static void InterleaveBytes(byte* planes, long planeStride, int bands, int count, byte* destination)
    {
        const int N = 16;
        var fullBands = Sse2.IsSupported ? bands / N * N : 0;
        var fullPixels = Sse2.IsSupported ? count / N * N : 0;
        for (var c = 0; c < fullPixels; c += N)
        {
            for (var b = 0; b < fullBands; b += N)
            {
                Transpose16x16(planes + (b * planeStride) + c, planeStride, destination + ((long)c * bands) + b, bands);
            }
        }

        Scalar<byte>(planes, planeStride, bands, fullBands, bands, 0, fullPixels, destination);
        Scalar<byte>(planes, planeStride, bands, 0, bands, fullPixels, count, destination);
    }

    private static void InterleaveInts(byte* planes, long planeStride, int bands, int count, byte* destination)
    {
        const int N = 4;
        var fullBands = Sse2.IsSupported ? bands / N * N : 0;
        var fullPixels = Sse2.IsSupported ? count / N * N : 0;
        for (var c = 0; c < fullPixels; c += N)
        {
            for (var b = 0; b < fullBands; b += N)
            {
                Transpose4x4(planes + (b * planeStride) + (c * 4L), planeStride, destination + ((((long)c * bands) + b) * 4), bands * 4L);
            }
        }

        Scalar<uint>(planes, planeStride, bands, fullBands, bands, 0, fullPixels, destination);
        Scalar<uint>(planes, planeStride, bands, 0, bands, fullPixels, count, destination);
    }

    /// <summary>Bands <c>[b0, b1)</c> of pixels <c>[c0, c1)</c>, one value at a time.</summary>
    private static void Scalar<T>(byte* planes, long planeStride, int bands, int b0, int b1, int c0, int c1, byte* destination)
        where T : unmanaged
    {
        var output = (T*)destination;
        for (var b = b0; b < b1; b++)
        {
            var plane = (T*)(planes + (b * planeStride));
            for (var c = c0; c < c1; c++)
            {
                output[((long)c * bands) + b] = plane[c];
            }
        }
    }

    /// <summary>16 rows of 16 bytes (stride <paramref name="sourceStride"/>) to 16 rows of 16 bytes (stride <paramref name="destinationStride"/>), transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose16x16(byte* source, long sourceStride, byte* destination, long destinationStride)
    {
        // Stage 1: pairs of rows, bytes interleaved.
        var a0 = Sse2.LoadVector128(source);
        var a1 = Sse2.LoadVector128(source + sourceStride);
        var a2 = Sse2.LoadVector128(source + (2 * sourceStride));
        var a3 = Sse2.LoadVector128(source + (3 * sourceStride));
        var a4 = Sse2.LoadVector128(source + (4 * sourceStride));
        var a5 = Sse2.LoadVector128(source + (5 * sourceStride));
        var a6 = Sse2.LoadVector128(source + (6 * sourceStride));
        var a7 = Sse2.LoadVector128(source + (7 * sourceStride));
        var a8 = Sse2.LoadVector128(source + (8 * sourceStride));
        var a9 = Sse2.LoadVector128(source + (9 * sourceStride));
        var a10 = Sse2.LoadVector128(source + (10 * sourceStride));
        var a11 = Sse2.LoadVector128(source + (11 * sourceStride));
        var a12 = Sse2.LoadVector128(source + (12 * sourceStride));
        var a13 = Sse2.LoadVector128(source + (13 * sourceStride));
        var a14 = Sse2.LoadVector128(source + (14 * sourceStride));
        var a15 = Sse2.LoadVector128(source + (15 * sourceStride));

        var b0 = Sse2.UnpackLow(a0, a1).AsUInt16();
        var b1 = Sse2.UnpackHigh(a0, a1).AsUInt16();
        var b2 = Sse2.UnpackLow(a2, a3).AsUInt16();
        var b3 = Sse2.UnpackHigh(a2, a3).AsUInt16();
        var b4 = Sse2.UnpackLow(a4, a5).AsUInt16();
        var b5 = Sse2.UnpackHigh(a4, a5).AsUInt16();
        var b6 = Sse2.UnpackLow(a6, a7).AsUInt16();
        var b7 = Sse2.UnpackHigh(a6, a7).AsUInt16();
        var b8 = Sse2.UnpackLow(a8, a9).AsUInt16();
        var b9 = Sse2.UnpackHigh(a8, a9).AsUInt16();
        var b10 = Sse2.UnpackLow(a10, a11).AsUInt16();
        var b11 = Sse2.UnpackHigh(a10, a11).AsUInt16();
        var b12 = Sse2.UnpackLow(a12, a13).AsUInt16();
        var b13 = Sse2.UnpackHigh(a12, a13).AsUInt16();
        var b14 = Sse2.UnpackLow(a14, a15).AsUInt16();
        var b15 = Sse2.UnpackHigh(a14, a15).AsUInt16();

        // Stage 2: groups of four rows; each 32-bit lane holds one column of four rows.
        var c0 = Sse2.UnpackLow(b0, b2).AsUInt32();   // columns 0-3, rows 0-3
        var c1 = Sse2.UnpackHigh(b0, b2).AsUInt32();  // columns 4-7
        var c2 = Sse2.UnpackLow(b1, b3).AsUInt32();   // columns 8-11
        var c3 = Sse2.UnpackHigh(b1, b3).AsUInt32();  // columns 12-15
        var c4 = Sse2.UnpackLow(b4, b6).AsUInt32();   // rows 4-7
        var c5 = Sse2.UnpackHigh(b4, b6).AsUInt32();
        var c6 = Sse2.UnpackLow(b5, b7).AsUInt32();
        var c7 = Sse2.UnpackHigh(b5, b7).AsUInt32();
        var c8 = Sse2.UnpackLow(b8, b10).AsUInt32();  // rows 8-11
        var c9 = Sse2.UnpackHigh(b8, b10).AsUInt32();
        var c10 = Sse2.UnpackLow(b9, b11).AsUInt32();
        var c11 = Sse2.UnpackHigh(b9, b11).AsUInt32();
        var c12 = Sse2.UnpackLow(b12, b14).AsUInt32(); // rows 12-15
        var c13 = Sse2.UnpackHigh(b12, b14).AsUInt32();
        var c14 = Sse2.UnpackLow(b13, b15).AsUInt32();
        var c15 = Sse2.UnpackHigh(b13, b15).AsUInt32();

        // Stage 3: eight rows; each 64-bit lane holds one column of eight rows.
        var d0 = Sse2.UnpackLow(c0, c4).AsUInt64();   // columns 0-1, rows 0-7
        var d1 = Sse2.UnpackHigh(c0, c4).AsUInt64();  // columns 2-3
        var d2 = Sse2.UnpackLow(c1, c5).AsUInt64();   // columns 4-5
        var d3 = Sse2.UnpackHigh(c1, c5).AsUInt64();  // columns 6-7
        var d4 = Sse2.UnpackLow(c2, c6).AsUInt64();   // columns 8-9
        var d5 = Sse2.UnpackHigh(c2, c6).AsUInt64();  // columns 10-11
        var d6 = Sse2.UnpackLow(c3, c7).AsUInt64();   // columns 12-13
        var d7 = Sse2.UnpackHigh(c3, c7).AsUInt64();  // columns 14-15
        var d8 = Sse2.UnpackLow(c8, c12).AsUInt64();  // columns 0-1, rows 8-15
        var d9 = Sse2.UnpackHigh(c8, c12).AsUInt64();
        var d10 = Sse2.UnpackLow(c9, c13).AsUInt64();
        var d11 = Sse2.UnpackHigh(c9, c13).AsUInt64();
        var d12 = Sse2.UnpackLow(c10, c14).AsUInt64();
        var d13 = Sse2.UnpackHigh(c10, c14).AsUInt64();
        var d14 = Sse2.UnpackLow(c11, c15).AsUInt64();
        var d15 = Sse2.UnpackHigh(c11, c15).AsUInt64();

        // Stage 4: whole columns of sixteen rows.
        Store(destination, destinationStride, 0, Sse2.UnpackLow(d0, d8));
        Store(destination, destinationStride, 1, Sse2.UnpackHigh(d0, d8));
        Store(destination, destinationStride, 2, Sse2.UnpackLow(d1, d9));
        Store(destination, destinationStride, 3, Sse2.UnpackHigh(d1, d9));
        Store(destination, destinationStride, 4, Sse2.UnpackLow(d2, d10));
        Store(destination, destinationStride, 5, Sse2.UnpackHigh(d2, d10));
        Store(destination, destinationStride, 6, Sse2.UnpackLow(d3, d11));
        Store(destination, destinationStride, 7, Sse2.UnpackHigh(d3, d11));
        Store(destination, destinationStride, 8, Sse2.UnpackLow(d4, d12));
        Store(destination, destinationStride, 9, Sse2.UnpackHigh(d4, d12));
        Store(destination, destinationStride, 10, Sse2.UnpackLow(d5, d13));
        Store(destination, destinationStride, 11, Sse2.UnpackHigh(d5, d13));
        Store(destination, destinationStride, 12, Sse2.UnpackLow(d6, d14));
        Store(destination, destinationStride, 13, Sse2.UnpackHigh(d6, d14));
        Store(destination, destinationStride, 14, Sse2.UnpackLow(d7, d15));
        Store(destination, destinationStride, 15, Sse2.UnpackHigh(d7, d15));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(byte* destination, long stride, int row, Vector128<ulong> value) =>
        Sse2.Store(destination + (row * stride), value.AsByte());

    /// <summary>4 rows of 4 ints to 4 rows of 4 ints, transposed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(byte* source, long sourceStride, byte* destination, long destinationStride)
    {
        var r0 = Sse2.LoadVector128((uint*)source);
        var r1 = Sse2.LoadVector128((uint*)(source + sourceStride));
        var r2 = Sse2.LoadVector128((uint*)(source + (2 * sourceStride)));
        var r3 = Sse2.LoadVector128((uint*)(source + (3 * sourceStride)));
        var t0 = Sse2.UnpackLow(r0, r1).AsUInt64();
        var t1 = Sse2.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Sse2.UnpackLow(r2, r3).AsUInt64();
        var t3 = Sse2.UnpackHigh(r2, r3).AsUInt64();
        Store(destination, destinationStride, 0, Sse2.UnpackLow(t0, t2));
        Store(destination, destinationStride, 1, Sse2.UnpackHigh(t0, t2));
        Store(destination, destinationStride, 2, Sse2.UnpackLow(t1, t3));
        Store(destination, destinationStride, 3, Sse2.UnpackHigh(t1, t3));
    }
}
