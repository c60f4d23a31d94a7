using System.Text.Json;
using Tessera.Indexing.Mosaics.Integrity;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Decides whether an existing viewport folder is a valid build of the same source with the same parameters.</summary>
internal static class MosaicCache
{
    private static readonly string[] RequiredFiles = [MosaicLayout.IndexFileName, MosaicLayout.AllEmbeddingsFileName];

    /// <summary>
    /// The metadata of the viewport in <paramref name="directory"/> when it matches the viewport id, the
    /// source fingerprint and every build parameter, and its files exist at their recorded sizes and
    /// SHA-256 checksums (sizes only for viewports built before checksums, whose
    /// <see cref="MosaicMetadata.FileSha256"/> is null); otherwise <see langword="null"/> with the reason.
    /// </summary>
    public static MosaicMetadata? TryGetValid(
        string directory,
        MosaicIndexOptions options,
        MosaicSourceFingerprint fingerprint,
        int dimension,
        out string reason)
    {
        var metadataPath = Path.Combine(directory, MosaicLayout.MetadataFileName);
        if (!Directory.Exists(directory))
        {
            reason = "no viewport folder";
            return null;
        }

        if (!File.Exists(metadataPath))
        {
            reason = "no metadata.json";
            return null;
        }

        MosaicMetadata metadata;
        try
        {
            metadata = MosaicMetadata.Read(metadataPath);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException or UnauthorizedAccessException)
        {
            reason = $"metadata.json is unreadable ({e.Message})";
            return null;
        }

        reason = Mismatch(metadata, options, fingerprint, dimension) ?? MissingFile(directory, metadata) ?? string.Empty;
        return reason.Length == 0 ? metadata : null;
    }

    private static string? Mismatch(MosaicMetadata m, MosaicIndexOptions o, MosaicSourceFingerprint fingerprint, int dimension)
    {
        if (m.FormatVersion != MosaicMetadata.CurrentFormatVersion)
        {
            return $"format version {m.FormatVersion} differs from {MosaicMetadata.CurrentFormatVersion}";
        }

        if (m.ViewportId != o.ViewportId)
        {
            return $"it is viewport '{m.ViewportId}'";
        }

        if (m.SourceFingerprint != fingerprint)
        {
            return "the source changed (path, size, modification time or content)";
        }

        if (m.EmbeddingDim != dimension)
        {
            return $"embedding dimension {m.EmbeddingDim} differs from {dimension}";
        }

        if (m.SamplingFactor != o.SamplingFactor || m.SamplingOffset != o.SamplingOffset)
        {
            return $"sampling {m.SamplingFactor}+{m.SamplingOffset} differs from {o.SamplingFactor}+{o.SamplingOffset}";
        }

        if (m.FaissIndexTypeRequested != o.IndexFactory)
        {
            return $"index '{m.FaissIndexTypeRequested}' differs from '{o.IndexFactory}'";
        }

        if (m.Metric != o.Metric || m.Normalized != o.Normalize)
        {
            return "the metric or normalisation differs";
        }

        if (m.TrainSize != o.TrainSize || m.TrainSeed != o.TrainSeed)
        {
            return "the training-set size or seed differs";
        }

        if (m.AllEmbeddingsDtype != o.AllEmbeddingsType)
        {
            return $"all_embeddings dtype {m.AllEmbeddingsDtype} differs from {o.AllEmbeddingsType}";
        }

        return null;
    }

    private static string? MissingFile(string directory, MosaicMetadata m) =>
        ViewportVerifier.Verify(directory, m, RequiredFiles, requireListed: true);
}
