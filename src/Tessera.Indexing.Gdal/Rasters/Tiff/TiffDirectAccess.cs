using Microsoft.Win32.SafeHandles;
using Tessera.Indexing.Gdal.Interop.Gdal;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Gdal.Rasters.Tiff;

/// <summary>
/// Decides whether a GeoTIFF that GDAL opened can be read directly (<see cref="TiffBlockReader"/>),
/// from what GDAL reports (<c>IMAGE_STRUCTURE</c> metadata, block size, data type) and the file's own
/// header (byte order, fill order, photometric interpretation), and says why when it cannot.
/// </summary>
internal static class TiffDirectAccess
{
    /// <summary>What the raster source passes in: the open dataset and the facts it already read.</summary>
    /// <param name="Path">The path the dataset was opened from.</param>
    /// <param name="Dataset">The dataset (read through the caller's lock).</param>
    /// <param name="Driver">GDAL's driver short name.</param>
    /// <param name="Size">Width, height and band count.</param>
    /// <param name="StoredType">The bands' type as stored (<see cref="RasterDataType.Int8"/> for <c>SIGNEDBYTE</c> bytes).</param>
    /// <param name="BlockSize">Band 1's block size.</param>
    internal readonly record struct Candidate(string Path, GdalDatasetHandle Dataset, string Driver, (int Width, int Height, int Bands) Size, RasterDataType StoredType, (int Width, int Height) BlockSize);

    /// <summary>Builds the layout and opens the file when the raster qualifies.</summary>
    /// <param name="candidate">The raster.</param>
    /// <param name="layout">The layout, when it qualifies.</param>
    /// <param name="decompressor">GDAL's decompressor for the codec (null for none and LZW).</param>
    /// <param name="file">The file opened for positional reads, when it qualifies; the caller owns it.</param>
    /// <returns><see langword="null"/> when it qualifies, else why not (for logs and <see cref="GdalRasterSource.ReadPath"/>).</returns>
    public static string? TryPrepare(in Candidate candidate, out TiffLayout? layout, out CplDecompressor? decompressor, out SafeFileHandle? file)
    {
        layout = null;
        decompressor = null;
        file = null;
        if (!string.Equals(candidate.Driver, "GTiff", StringComparison.Ordinal))
        {
            return $"driver {candidate.Driver} is not GTiff";
        }

        if (candidate.Path.StartsWith("/vsi", StringComparison.Ordinal) || !File.Exists(candidate.Path))
        {
            return "not a local file";
        }

        var sampleSize = candidate.StoredType switch
        {
            RasterDataType.Byte or RasterDataType.Int8 => 1,
            RasterDataType.UInt16 or RasterDataType.Int16 => 2,
            RasterDataType.UInt32 or RasterDataType.Int32 or RasterDataType.Float32 => 4,
            RasterDataType.Float64 => 8,
            _ => 0,
        };
        if (sampleSize == 0)
        {
            return $"data type {candidate.StoredType} is not read directly";
        }

        var dataset = candidate.Dataset;
        var nbits = GdalProxy.BandMetadataItem(dataset, 1, "NBITS", "IMAGE_STRUCTURE");
        if (nbits is not null && nbits != (sampleSize * 8).ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return $"NBITS={nbits}";
        }

        if (GdalProxy.DatasetMetadataItem(dataset, "SOURCE_COLOR_SPACE", "IMAGE_STRUCTURE") is { } colorSpace)
        {
            return $"SOURCE_COLOR_SPACE={colorSpace}";
        }

        var compression = GdalProxy.DatasetMetadataItem(dataset, "COMPRESSION", "IMAGE_STRUCTURE");
        TiffCodec codec;
        string? decompressorId;
        switch (compression?.ToUpperInvariant())
        {
            case null or "NONE":
                (codec, decompressorId) = (TiffCodec.None, null);
                break;
            case "DEFLATE":
                (codec, decompressorId) = (TiffCodec.Deflate, "zlib");
                break;
            case "LZW":
                (codec, decompressorId) = (TiffCodec.Lzw, null);
                break;
            case "ZSTD":
                (codec, decompressorId) = (TiffCodec.Zstd, "zstd");
                break;
            case "LZMA":
                (codec, decompressorId) = (TiffCodec.Lzma, "lzma");
                break;
            default:
                return $"COMPRESSION={compression} is decoded by GDAL";
        }

        if (decompressorId is not null)
        {
            decompressor = CplDecompressor.Find(decompressorId);
            if (decompressor is null)
            {
                return $"GDAL {GdalLibrary.ReleaseName} has no '{decompressorId}' decompressor";
            }
        }

        var predictorText = GdalProxy.DatasetMetadataItem(dataset, "PREDICTOR", "IMAGE_STRUCTURE");
        var predictor = predictorText switch
        {
            null or "1" => TiffPredictor.None,
            "2" => TiffPredictor.Horizontal,
            "3" when candidate.StoredType is RasterDataType.Float32 or RasterDataType.Float64 => TiffPredictor.FloatingPoint,
            _ => (TiffPredictor)0,
        };
        if (predictor == 0 || (predictor != TiffPredictor.None && codec == TiffCodec.None))
        {
            return $"PREDICTOR={predictorText} with COMPRESSION={compression ?? "NONE"}";
        }

        var interleave = GdalProxy.DatasetMetadataItem(dataset, "INTERLEAVE", "IMAGE_STRUCTURE");
        var (width, height, bands) = candidate.Size;
        if (bands > 1 && interleave is not ("PIXEL" or "BAND"))
        {
            return $"INTERLEAVE={interleave}";
        }

        var candidateLayout = new TiffLayout(width, height, bands, sampleSize, candidate.BlockSize, interleave == "BAND", codec, predictor);
        if (candidateLayout.BlockRowBytes * candidateLayout.Planes > TiffBlockReader.MaxDecodedBlockBytes
            || (codec != TiffCodec.None && candidateLayout.DecodedBlockBytes > TiffBlockReader.MaxDecodedBlockBytes))
        {
            return $"blocks of {candidate.BlockSize.Width}x{candidate.BlockSize.Height} are too large to decode here";
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(candidate.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the file cannot be opened for direct reads ({e.Message})";
        }

        string? reason = null;
        try
        {
            if (!TiffHeader.TryRead(handle, out var header))
            {
                reason = "the TIFF header was not understood";
            }
            else if (!header.LittleEndian)
            {
                reason = "big-endian TIFF";
            }
            else if (header.FillOrder != 1)
            {
                reason = $"FillOrder={header.FillOrder}";
            }
            else if (header.Photometric is not (-1 or 1 or 2 or 3))
            {
                reason = $"photometric interpretation {header.Photometric}";
            }
        }
        catch (IOException e)
        {
            reason = $"the TIFF header could not be read ({e.Message})";
        }

        if (reason is not null)
        {
            handle.Dispose();
            decompressor = null;
            return reason;
        }

        layout = candidateLayout;
        file = handle;
        return null;
    }
}
