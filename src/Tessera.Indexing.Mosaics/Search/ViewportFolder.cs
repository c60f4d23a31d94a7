using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics.Integrity;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Reads a viewport folder written by the mosaic indexer: <c>metadata.json</c>, the memory-mapped
/// <c>all_embeddings.npy</c> (float32 or uint8), and <c>embeddings.index</c> loaded through an
/// <see cref="IVectorIndexBuilder"/>; every inconsistency becomes a <see cref="ViewportSearchException"/>.
/// </summary>
internal static class ViewportFolder
{
    public static ViewportSearcher Open(string directory, IVectorIndexBuilder indexBuilder, ViewportSearcherOptions options, ILogger log)
    {
        var metadataPath = Path.Combine(directory, MosaicLayout.MetadataFileName);
        var embeddingsPath = Path.Combine(directory, MosaicLayout.AllEmbeddingsFileName);
        var indexPath = Path.Combine(directory, MosaicLayout.IndexFileName);
        if (!Directory.Exists(directory) || !File.Exists(metadataPath) || !File.Exists(embeddingsPath))
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.ViewportNotFound,
                $"'{directory}' is not a viewport folder: it needs {MosaicLayout.MetadataFileName} and {MosaicLayout.AllEmbeddingsFileName}.");
        }

        MosaicMetadata metadata;
        try
        {
            metadata = MosaicMetadata.Read(metadataPath);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or IOException)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"'{metadataPath}' is not readable viewport metadata: {e.Message}", innerException: e);
        }

        var layout = ToLayout(metadata, metadataPath);
        Verify(directory, metadata, log);
        NpyMemoryMappedArray? array = null;
        NpyMemoryMappedArray? norms = null;
        IVectorIndex? index = null;
        try
        {
            array = OpenEmbeddings(embeddingsPath, layout);
            norms = OpenNorms(Path.Combine(directory, MosaicLayout.NormsFileName), layout, log);
            if (File.Exists(indexPath))
            {
                index = LoadIndex(indexPath, indexBuilder, options);
            }
            else
            {
                log.LogWarning("Viewport {ViewportId} has no {IndexFile}: only exact scans are available", layout.ViewportId, MosaicLayout.IndexFileName);
            }

            var matrix = ToMatrix(array, norms, layout, (float)metadata.AllEmbeddingsScale);
            var searcher = new ViewportSearcher(layout, matrix, new MappedFiles(array, norms), index, metadata.Normalized, options, log);
            log.LogInformation(
                "Opened viewport {ViewportId}: {Height}x{Width} pixels, {Dimension}-d {Type} embeddings ({Norms}), index {IndexType} ({Indexed} vectors)",
                layout.ViewportId,
                layout.Height,
                layout.Width,
                layout.Dimension,
                array.DataType,
                norms is null ? "norms computed per scan" : "stored norms",
                metadata.FaissIndexType,
                index?.Count ?? 0);
            return searcher;
        }
        catch
        {
            index?.Dispose();
            norms?.Dispose();
            array?.Dispose();
            throw;
        }
    }

    /// <summary>Sizes and SHA-256 checksums against the metadata (cheap on repeated opens, see <see cref="ViewportVerifier"/>).</summary>
    private static void Verify(string directory, MosaicMetadata metadata, ILogger log)
    {
        var problem = ViewportVerifier.Verify(directory, metadata, [MosaicLayout.AllEmbeddingsFileName], requireListed: false);
        if (problem is not null)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.InvalidViewport,
                $"Viewport '{metadata.ViewportId}' in '{directory}' is damaged: {problem}. Rebuild it (index-mosaic --force).");
        }

        if (metadata.FileSha256 is null)
        {
            log.LogWarning(
                "Viewport {ViewportId}: metadata.json records no checksums (built before file_sha256 existed); its files were checked by size only. Rebuild it to record them",
                metadata.ViewportId);
        }
    }

    private static IVectorIndex LoadIndex(string indexPath, IVectorIndexBuilder indexBuilder, ViewportSearcherOptions options)
    {
        try
        {
            return indexBuilder.Load(indexPath, new VectorIndexLoadOptions { MemoryMap = options.MemoryMapIndex });
        }
        catch (Exception e) when (e is FaissException or IOException or InvalidDataException or FormatException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"'{indexPath}' is not a readable index: {e.Message}", innerException: e);
        }
    }

    private static ViewportLayout ToLayout(MosaicMetadata metadata, string metadataPath)
    {
        if (metadata.MosaicWidth <= 0 || metadata.MosaicHeight <= 0 || metadata.EmbeddingDim <= 0 || metadata.Geotransform is not { Count: 6 })
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.InvalidViewport,
                $"'{metadataPath}' lacks a usable size, embedding dimension or geotransform.");
        }

        if (!(metadata.AllEmbeddingsScale > 0) || !double.IsFinite(metadata.AllEmbeddingsScale))
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"'{metadataPath}' has an invalid all_embeddings_scale {metadata.AllEmbeddingsScale}.");
        }

        var transform = GeoTransform.FromArray(metadata.Geotransform.ToArray());
        if (!transform.IsInvertible)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"'{metadataPath}' has a geotransform that cannot be inverted.");
        }

        var factor = Math.Max(1, metadata.SamplingFactor);
        var offset = Math.Clamp(metadata.SamplingOffset, 0, factor - 1);
        return new ViewportLayout(
            metadata.ViewportId,
            metadata.MosaicWidth,
            metadata.MosaicHeight,
            metadata.EmbeddingDim,
            transform,
            metadata.Crs,
            metadata.Normalized,
            factor,
            offset,
            offset,
            metadata.CrsWkt);
    }

    private static NpyMemoryMappedArray OpenEmbeddings(string path, ViewportLayout layout)
    {
        NpyMemoryMappedArray array;
        try
        {
            array = NpyMemoryMappedArray.Open(path);
        }
        catch (Exception e) when (e is NpyFormatException or IOException)
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"'{path}' is not a readable .npy file: {e.Message}", innerException: e);
        }

        if (array.DataType is not (NpyDataType.Float32 or NpyDataType.UInt8)
            || array.Shape.Count != 2
            || array.Shape[0] != layout.PixelCount
            || array.Shape[1] != layout.Dimension)
        {
            var shape = string.Join(", ", array.Shape);
            var type = array.DataType;
            array.Dispose();
            throw new ViewportSearchException(
                ViewportSearchErrorKind.InvalidViewport,
                $"'{path}' holds {type} with shape ({shape}); expected float32 or uint8 with shape ({layout.PixelCount}, {layout.Dimension}).");
        }

        return array;
    }

    /// <summary>Maps <c>all_norms.npy</c> when it exists and fits; a viewport without it (or with an unusable one) computes norms per scan.</summary>
    private static NpyMemoryMappedArray? OpenNorms(string path, ViewportLayout layout, ILogger log)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        NpyMemoryMappedArray norms;
        try
        {
            norms = NpyMemoryMappedArray.Open(path);
        }
        catch (Exception e) when (e is NpyFormatException or IOException)
        {
            log.LogWarning("Viewport {ViewportId}: {NormsFile} is unreadable ({Reason}); norms are computed per scan", layout.ViewportId, MosaicLayout.NormsFileName, e.Message);
            return null;
        }

        if (norms.DataType != NpyDataType.Float32 || norms.ElementCount != layout.PixelCount || norms.Shape.Count != 1)
        {
            log.LogWarning(
                "Viewport {ViewportId}: {NormsFile} holds {Type} with shape ({Shape}), not float32 ({Pixels}); norms are computed per scan",
                layout.ViewportId,
                MosaicLayout.NormsFileName,
                norms.DataType,
                string.Join(", ", norms.Shape),
                layout.PixelCount);
            norms.Dispose();
            return null;
        }

        return norms;
    }

    private static unsafe EmbeddingMatrix ToMatrix(NpyMemoryMappedArray array, NpyMemoryMappedArray? norms, ViewportLayout layout, float scale)
    {
        // The mapping is unmanaged memory that never moves: the address of its first element stays valid until it is disposed.
        byte* data = array.DataType == NpyDataType.Float32
            ? (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(array.GetElements<float>(0, 1)))
            : (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(array.GetElements<byte>(0, 1)));
        var type = array.DataType == NpyDataType.Float32 ? EmbeddingElementType.Float32 : EmbeddingElementType.UInt8;
        var normsData = norms is null || layout.PixelCount == 0 ? null : (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(norms.GetElements<float>(0, 1)));
        return new EmbeddingMatrix(data, layout.PixelCount, layout.Dimension, type, scale, normsData);
    }

    /// <summary>The mapped embeddings and norms, released together.</summary>
    private sealed class MappedFiles(NpyMemoryMappedArray embeddings, NpyMemoryMappedArray? norms) : IDisposable
    {
        public void Dispose()
        {
            norms?.Dispose();
            embeddings.Dispose();
        }
    }
}
