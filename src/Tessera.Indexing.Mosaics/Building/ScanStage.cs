using System.Buffers;
using System.Runtime.InteropServices;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// The scan: one pass over the mosaic in row blocks aligned to its block height, writing every pixel
/// to <c>all_embeddings.npy</c> (converted to float32 in small chunks, or stored as is) and keeping
/// the sampled pixels with data in the source's own compact type, and every pixel's norm of the
/// values written to <c>all_norms.npy</c> (what the exact scan reads instead of recomputing them).
/// Memory is one read block.
/// </summary>
internal static unsafe class ScanStage
{
    /// <summary>Pixels converted to float32 at a time when writing <c>all_embeddings.npy</c>.</summary>
    private const int ConvertChunkPixels = 4096;

    public static ScanResult<T> Run<T>(BuildContext build)
        where T : unmanaged
    {
        var (source, options, cancellationToken) = (build.Source, build.Options, build.CancellationToken);
        var width = source.Width;
        var height = source.Height;
        var bands = source.BandCount;
        var rowValues = width * bands;
        var scaled = source as IScaledRasterSource;
        if (typeof(T) != typeof(sbyte))
        {
            scaled = null;
        }
        else if (scaled is null)
        {
            MosaicLog.UnscaledInt8(build.Logger, build.ViewportId);
        }

        var (blockWidth, blockHeight) = source.BlockSize;
        var rowsPerRead = PlanRowsPerRead(options.MaxReadBytes, (long)rowValues * Marshal.SizeOf<T>(), Math.Max(1, blockHeight), height);
        MosaicLog.Scanning(build.Logger, build.ViewportId, width, height, bands, source.DataType.ToString(), options.SamplingFactor, options.SamplingOffset, rowsPerRead, blockWidth, blockHeight);

        var npyType = options.AllEmbeddingsType == MosaicEmbeddingsType.UInt8 ? NpyDataType.UInt8 : NpyDataType.Float32;
        var samples = new SampleStore<T>(bands, scaled is not null);
        var noData = new NoDataTest(source.NoDataValue);
        var factor = options.SamplingFactor;
        var offset = options.SamplingOffset;
        long nodataPixels = 0;
        long nodataSampled = 0;
        Dictionary<string, string>? writtenSha256 = null;

        var block = ArrayPool<T>.Shared.Rent(rowsPerRead * rowValues);
        var scales = scaled is null ? null : ArrayPool<float>.Shared.Rent(rowsPerRead * width);
        var converted = typeof(T) == typeof(float) || npyType == NpyDataType.UInt8 ? null : ArrayPool<float>.Shared.Rent(ConvertChunkPixels * bands);
        var norms = ArrayPool<float>.Shared.Rent(width);
        try
        {
            // Both files are hashed while written (a worker thread keeps up with the disk), so the commit
            // need not read them back.
            using var writer = NpyWriter.Create(build.Staging.StagingFile(MosaicLayout.AllEmbeddingsFileName), npyType, [(long)width * height, bands], preallocate: true, computeSha256: true);
            using var normsWriter = NpyWriter.Create(build.Staging.StagingFile(MosaicLayout.NormsFileName), NpyDataType.Float32, [(long)width * height], preallocate: true, computeSha256: true);
            for (var y0 = 0; y0 < height; y0 += rowsPerRead)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var rows = Math.Min(rowsPerRead, height - y0);
                var blockSpan = block.AsSpan(0, rows * rowValues);
                source.ReadWindow<T>(0, y0, width, rows, blockSpan);
                scaled?.ReadScales(0, y0, width, rows, scales.AsSpan(0, rows * width));
                for (var r = 0; r < rows; r++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var y = y0 + r;
                    var row = blockSpan.Slice(r * rowValues, rowValues);
                    var rowScales = scales is null ? default : scales.AsSpan(r * width, width);
                    var sampledRow = y >= offset && (y - offset) % factor == 0;
                    var nextSampledColumn = sampledRow ? offset : int.MaxValue;
                    for (var x = 0; x < width; x++)
                    {
                        var pixel = row.Slice(x * bands, bands);
                        var scale = scales is null ? 1f : rowScales[x];
                        var isNoData = noData.IsNoData(pixel, scale);
                        if (isNoData)
                        {
                            nodataPixels++;
                        }

                        if (x == nextSampledColumn)
                        {
                            nextSampledColumn += factor;
                            if (isNoData)
                            {
                                nodataSampled++;
                            }
                            else
                            {
                                samples.Add(pixel, ((long)y * width) + x, scale);
                            }
                        }
                    }

                    WriteRow(writer, row, rowScales, bands, converted, norms.AsSpan(0, width));
                    normsWriter.Write<float>(norms.AsSpan(0, width));
                }

                var done = (double)(y0 + rows) / height;
                build.Reporter.Report(MosaicIndexStage.Scanning, done, $"Read {y0 + rows} of {height} rows, {samples.Count} samples");
            }

            writer.Complete();
            normsWriter.Complete();
            writtenSha256 = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [MosaicLayout.AllEmbeddingsFileName] = writer.Sha256!,
                [MosaicLayout.NormsFileName] = normsWriter.Sha256!,
            };
        }
        finally
        {
            ArrayPool<T>.Shared.Return(block);
            ArrayPool<float>.Shared.Return(norms);
            if (scales is not null)
            {
                ArrayPool<float>.Shared.Return(scales);
            }

            if (converted is not null)
            {
                ArrayPool<float>.Shared.Return(converted);
            }
        }

        MosaicLog.Scanned(build.Logger, build.ViewportId, samples.Count, nodataPixels, nodataSampled, samples.AllocatedBytes);
        return new ScanResult<T>(samples, nodataPixels, nodataSampled, writtenSha256);
    }

    /// <summary>The most pixels the scan can sample from a <paramref name="width"/> × <paramref name="height"/> mosaic (before nodata is skipped).</summary>
    public static long MaxSamples(int width, int height, int factor, int offset)
    {
        static long Positions(int length, int factor, int offset) => length > offset ? ((length - offset - 1) / factor) + 1 : 0;
        return Positions(width, factor, offset) * Positions(height, factor, offset);
    }

    /// <summary>Rows per read: whole multiples of the block height within the byte budget, else the largest divisor of the block height that fits (at least one row).</summary>
    public static int PlanRowsPerRead(long maxBytes, long rowBytes, int blockHeight, int height)
    {
        var budgetRows = (int)Math.Clamp(maxBytes / Math.Max(1, rowBytes), 1, Math.Max(1, height));
        budgetRows = (int)Math.Min(budgetRows, Array.MaxLength / Math.Max(1, rowBytes));
        budgetRows = Math.Max(1, budgetRows);
        if (budgetRows >= blockHeight)
        {
            return Math.Min(budgetRows / blockHeight * blockHeight, height);
        }

        for (var rows = budgetRows; rows > 1; rows--)
        {
            if (blockHeight % rows == 0)
            {
                return rows;
            }
        }

        return 1;
    }

    /// <summary>Writes one mosaic row to <c>all_embeddings.npy</c> and puts the norm of each pixel's written values into <paramref name="norms"/>.</summary>
    private static void WriteRow<T>(NpyWriter writer, ReadOnlySpan<T> row, ReadOnlySpan<float> rowScales, int bands, float[]? converted, Span<float> norms)
        where T : unmanaged
    {
        if (converted is null)
        {
            // Stored as is: float32 from a Float32 mosaic, or uint8 from a Byte mosaic.
            writer.Write(row);
            fixed (T* values = row)
            fixed (float* n = norms)
            {
                if (typeof(T) == typeof(float))
                {
                    ScanKernels.Norms((float*)values, bands, norms.Length, n, Simd.Best);
                }
                else
                {
                    ScanKernels.Norms((byte*)values, bands, norms.Length, n);
                }
            }

            return;
        }

        var chunkValues = ConvertChunkPixels * bands;
        for (var start = 0; start < row.Length; start += chunkValues)
        {
            var count = Math.Min(chunkValues, row.Length - start);
            var destination = converted.AsSpan(0, count);
            var firstPixel = start / bands;
            VectorConversion.ToVectors(row.Slice(start, count), rowScales.IsEmpty ? default : rowScales.Slice(firstPixel, count / bands), destination);
            writer.Write<float>(destination);
            fixed (float* values = destination)
            fixed (float* n = norms.Slice(firstPixel, count / bands))
            {
                ScanKernels.Norms(values, bands, count / bands, n, Simd.Best);
            }
        }
    }
}
