namespace Tessera.Indexing.Gdal.Rasters;

/// <summary>How <see cref="GdalRasterSource"/> reads pixels.</summary>
public sealed record GdalRasterSourceOptions
{
    /// <summary>The default: direct reads on, every core, 256 MiB of decoded blocks.</summary>
    public static GdalRasterSourceOptions Default { get; } = new();

    /// <summary>
    /// Whether GeoTIFFs GDAL describes fully (little-endian; uncompressed, DEFLATE, LZW, ZSTD or LZMA;
    /// predictor 1, 2 or 3; whole-byte samples; pixel or band interleave; tiled or striped) are read
    /// block by block straight from the file, bypassing GDAL's RasterIO and block cache (default
    /// <see langword="true"/>). Pixels are identical either way; anything else, and any block the direct
    /// reader cannot read, goes through GDAL's <c>RasterIO</c>. <see langword="false"/> reads everything
    /// through GDAL.
    /// </summary>
    public bool DirectRead { get; init; } = true;

    /// <summary>Blocks read or decoded at once by one window read (default: the processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Bytes of decoded compressed blocks kept between window reads, so that a scan in windows
    /// shorter than a block decodes each block once (default 256 MiB; 0 keeps none). Uncompressed files
    /// need none.
    /// </summary>
    public long DecodedBlockCacheBytes { get; init; } = 256L << 20;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "GdalRasterSourceOptions.MaxDegreeOfParallelism must be at least 1.");
        }

        if (DecodedBlockCacheBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DecodedBlockCacheBytes), DecodedBlockCacheBytes, "GdalRasterSourceOptions.DecodedBlockCacheBytes must not be negative.");
        }
    }
}
