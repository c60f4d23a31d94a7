using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Computes <see cref="MosaicSourceFingerprint"/>s.</summary>
internal static class SourceFingerprinter
{
    /// <summary>Chunks hashed per file (first and last included).</summary>
    internal const int ChunkCount = 16;

    /// <summary>Bytes per hashed chunk.</summary>
    internal const int ChunkSize = 64 * 1024;

    public static MosaicSourceFingerprint Compute(IRasterSource source)
    {
        IReadOnlyList<string> files = source is IMultiFileRasterSource multi ? multi.FilePaths : [source.Path];
        if (files.Count > 0 && files.All(File.Exists))
        {
            return ComputeForFiles(files);
        }

        return ComputeForRaster(source);
    }

    public static MosaicSourceFingerprint ComputeForFiles(IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long totalSize = 0;
        var latest = DateTime.MinValue;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            foreach (var file in files)
            {
                var info = new FileInfo(file);
                var length = info.Length;
                totalSize += length;
                var written = info.LastWriteTimeUtc;
                if (written > latest)
                {
                    latest = written;
                }

                AppendInt64(hash, length);
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
                if (length <= (long)ChunkCount * ChunkSize)
                {
                    int read;
                    while ((read = stream.Read(buffer, 0, ChunkSize)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                    }

                    continue;
                }

                for (var k = 0; k < ChunkCount; k++)
                {
                    var offset = (length - ChunkSize) * k / (ChunkCount - 1);
                    var read = RandomAccess.Read(stream.SafeFileHandle, buffer.AsSpan(0, ChunkSize), offset);
                    AppendInt64(hash, offset);
                    hash.AppendData(buffer, 0, read);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new MosaicSourceFingerprint(Path.GetFullPath(files[0]), totalSize, latest, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>For a source that is not a local file: hashes its size, type and a few rows as stored.</summary>
    public static MosaicSourceFingerprint ComputeForRaster(IRasterSource source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{source.Width}x{source.Height}x{source.BandCount}:{source.DataType}"));
        if (source.Height > 0 && source.Width > 0)
        {
            int[] rows = [0, source.Height / 2, source.Height - 1];
            foreach (var row in rows)
            {
                switch (source.DataType)
                {
                    case RasterDataType.Byte:
                        HashRow<byte>(hash, source, row);
                        break;
                    case RasterDataType.Int8:
                        HashRow<sbyte>(hash, source, row);
                        if (source is IScaledRasterSource scaled)
                        {
                            var scales = new float[source.Width];
                            scaled.ReadScales(0, row, source.Width, 1, scales);
                            hash.AppendData(MemoryMarshal.AsBytes(scales.AsSpan()));
                        }

                        break;
                    default:
                        HashRow<float>(hash, source, row);
                        break;
                }
            }
        }

        return new MosaicSourceFingerprint(source.Path, -1, DateTime.MinValue, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static void HashRow<T>(IncrementalHash hash, IRasterSource source, int row)
        where T : unmanaged
    {
        var values = new T[(long)source.Width * source.BandCount];
        source.ReadWindow<T>(0, row, source.Width, 1, values);
        hash.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void AppendInt64(IncrementalHash hash, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        hash.AppendData(bytes);
    }
}
