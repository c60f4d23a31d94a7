using Tessera.Indexing.Gdal.Rasters.Tiff;

namespace Tessera.Indexing.Gdal.Tests.Rasters.Tiff;

public sealed class PlaneInterleaverTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 16, 16)]
    [InlineData(1, 33, 47)]
    [InlineData(1, 128, 256)]
    [InlineData(2, 19, 21)]
    [InlineData(4, 4, 4)]
    [InlineData(4, 22, 37)]
    [InlineData(4, 128, 64)]
    [InlineData(8, 7, 9)]
    public unsafe void Interleave_puts_every_sample_of_every_plane_in_its_pixel_slot(int sampleSize, int bands, int count)
    {
        var random = new Random((sampleSize * 1000) + bands + count);
        var planeStride = (count * sampleSize) + 13;
        var planes = new byte[(bands * planeStride) + 16];
        random.NextBytes(planes);
        var destination = new byte[(count * bands * sampleSize) + 8];
        random.NextBytes(destination);
        var guard = destination[^8..];

        fixed (byte* source = planes)
        fixed (byte* target = destination)
        {
            PlaneInterleaver.Interleave(source, planeStride, bands, sampleSize, count, target);
        }

        for (var c = 0; c < count; c++)
        {
            for (var b = 0; b < bands; b++)
            {
                var expected = planes.AsSpan((b * planeStride) + (c * sampleSize), sampleSize);
                var actual = destination.AsSpan(((c * bands) + b) * sampleSize, sampleSize);
                Assert.True(expected.SequenceEqual(actual), $"pixel {c}, band {b}");
            }
        }

        Assert.Equal(guard, destination[^8..]);
    }
}
