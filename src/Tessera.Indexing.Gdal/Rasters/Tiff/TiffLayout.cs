using System.Globalization;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// How a GeoTIFF's pixels lie in the file, as GDAL reports them: the block (tile, or strip of rows)
/// grid, the interleave, the sample size, the compression and the predictor. Blocks are numbered as
/// GDAL numbers them for <c>BLOCK_OFFSET_x_y</c>: <c>x</c> across, <c>y</c> down.
/// </summary>
internal sealed class TiffLayout
{
    /// <summary>Creates a layout; every size must be positive.</summary>
    public TiffLayout(int width, int height, int bands, int sampleSize, (int Width, int Height) block, bool planar, TiffCodec codec, TiffPredictor predictor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(block.Height, 1);
        Width = width;
        Height = height;
        Bands = bands;
        SampleSize = sampleSize;
        BlockWidth = block.Width;
        BlockHeight = block.Height;
        Planar = planar && bands > 1;
        Codec = codec;
        Predictor = predictor;
        BlocksAcross = (int)(((long)width + block.Width - 1) / block.Width);
        BlocksDown = (int)(((long)height + block.Height - 1) / block.Height);
    }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Number of bands.</summary>
    public int Bands { get; }

    /// <summary>Bytes per sample (1, 2, 4 or 8).</summary>
    public int SampleSize { get; }

    /// <summary>Block width (the tile width, or the image width for strips).</summary>
    public int BlockWidth { get; }

    /// <summary>Block height (the tile height, or the rows per strip).</summary>
    public int BlockHeight { get; }

    /// <summary>Whether each band is stored in its own blocks (<c>INTERLEAVE=BAND</c> with more than one band).</summary>
    public bool Planar { get; }

    /// <summary>How blocks are compressed.</summary>
    public TiffCodec Codec { get; }

    /// <summary>The predictor applied before compression.</summary>
    public TiffPredictor Predictor { get; }

    /// <summary>Blocks in one block row.</summary>
    public int BlocksAcross { get; }

    /// <summary>Block rows.</summary>
    public int BlocksDown { get; }

    /// <summary>Block planes: one per band when planar, else one.</summary>
    public int Planes => Planar ? Bands : 1;

    /// <summary>Samples per pixel inside one block: the band count when pixel-interleaved, else one.</summary>
    public int SamplesPerPixel => Planar ? 1 : Bands;

    /// <summary>Bytes of one pixel in the caller's pixel-interleaved buffer.</summary>
    public int PixelBytes => Bands * SampleSize;

    /// <summary>Bytes of one row of one block plane.</summary>
    public long BlockRowBytes => (long)BlockWidth * SamplesPerPixel * SampleSize;

    /// <summary>Bytes of one block plane when decoded in full (every row of the block, padding included).</summary>
    public long BlockPlaneBytes => BlockRowBytes * BlockHeight;

    /// <summary>Bytes from one decoded plane to the next in a decoded block: <see cref="BlockPlaneBytes"/>, padded by <see cref="PadPlaneStride"/>.</summary>
    public long DecodedPlaneStride => PadPlaneStride(BlockPlaneBytes);

    /// <summary>Bytes of one decoded block, all planes.</summary>
    public long DecodedBlockBytes => Planar ? DecodedPlaneStride * Planes : BlockPlaneBytes;

    /// <summary>
    /// A distance between band planes in memory that the transpose can read fast: whole cache lines, and
    /// an odd number of them, so that the 16 planes one transpose step reads (and the 128 a row of pixels
    /// reads) fall in different L1 sets. Plane sizes are often powers of two (a 256x64 tile plane is
    /// 16 KiB), which would put every plane in the same set.
    /// </summary>
    public static long PadPlaneStride(long bytes)
    {
        var lines = (bytes + 63) / 64;
        return (lines % 2 == 0 ? lines + 1 : lines) * 64;
    }

    /// <summary>Rows of block row <paramref name="blockY"/> that lie inside the image.</summary>
    public int RowsInside(int blockY) => Math.Min(BlockHeight, Height - (blockY * BlockHeight));

    /// <summary>A short description for logs: <c>uncompressed, 256x256 blocks, pixel-interleaved, 128 x 1-byte samples</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Codec == TiffCodec.None ? "uncompressed" : Codec.ToString().ToUpperInvariant())}{(Predictor == TiffPredictor.None ? string.Empty : $" (predictor {(int)Predictor})")}, {BlockWidth}x{BlockHeight} blocks, {(Planar ? "band" : "pixel")}-interleaved, {Bands} x {SampleSize}-byte samples");
}
