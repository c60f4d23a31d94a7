using System.Reflection;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics.Integrity;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// The commit: <c>embeddings.index</c> and <c>metadata.json</c> are written into the staging folder
/// beside <c>all_embeddings.npy</c>, every artefact is hashed (SHA-256 into <c>file_sha256</c>, and a
/// <c>.verified.json</c> stamp), and the folder is renamed into place. The metadata is written last,
/// so a folder with metadata is always complete.
/// </summary>
internal static class CommitStage
{
    private static readonly string LibraryVersion =
        typeof(CommitStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CommitStage).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Writes and commits the viewport.</summary>
    /// <returns>The metadata written.</returns>
    public static MosaicMetadata Run<T>(BuildContext build, PlannedIndex planned, ScanResult<T> scan, int trainUsed)
        where T : unmanaged
    {
        var staging = build.Staging;
        var index = planned.Index;
        build.Reporter.Report(MosaicIndexStage.Saving, 0, "Writing embeddings.index");
        build.CancellationToken.ThrowIfCancellationRequested();
        var indexPath = staging.StagingFile(MosaicLayout.IndexFileName);
        index.Save(indexPath);
        var metadata = Describe(build, planned.Plan, index, scan, trainUsed, indexPath);
        build.Reporter.Report(MosaicIndexStage.Saving, 0.5, "Computing checksums");
        metadata = metadata with { FileSha256 = ViewportVerifier.HashAndStamp(staging.StagingDirectory, metadata.FileSizes.Keys, scan.WrittenSha256, build.CancellationToken) };
        metadata.Write(staging.StagingFile(MosaicLayout.MetadataFileName));
        build.Reporter.Report(MosaicIndexStage.Saving, 0.9, "Moving the viewport into place");
        build.CancellationToken.ThrowIfCancellationRequested();
        staging.Commit();
        return metadata;
    }

    private static MosaicMetadata Describe<T>(BuildContext build, IndexFactoryPlan plan, IVectorIndex index, ScanResult<T> scan, int trainUsed, string indexPath)
        where T : unmanaged
    {
        var (source, options, staging) = (build.Source, build.Options, build.Staging);
        var transform = source.GeoTransform!.Value;
        var dimension = source.BandCount;
        return new MosaicMetadata
        {
            ViewportId = options.ViewportId,
            MosaicFile = source.Path,
            NumTotalPixels = (long)source.Width * source.Height,
            NumSampledPixels = scan.Samples.Count,
            SamplingFactor = options.SamplingFactor,
            SamplingOffset = options.SamplingOffset,
            EmbeddingDim = dimension,
            PixelSizeMeters = PixelSize.EstimateMeters(transform, source.SpatialReference, source.Width, source.Height),
            MosaicHeight = source.Height,
            MosaicWidth = source.Width,
            Geotransform = transform.ToArray(),
            Crs = source.SpatialReference?.ToString(),
            CrsWkt = source.SpatialReference?.Wkt,
            FaissIndexType = plan.Effective,
            FaissIndexTypeRequested = options.IndexFactory,
            Metric = options.Metric,
            Normalized = options.Normalize,
            AllEmbeddingsDtype = options.AllEmbeddingsType,
            AllEmbeddingsScale = options.AllEmbeddingsType == MosaicEmbeddingsType.UInt8 ? 1.0 / 255.0 : 1.0,
            AllEmbeddingsShape = [(long)source.Width * source.Height, dimension],
            SourceDataType = source.DataType,
            SourceNodata = source.NoDataValue,
            TrainSize = options.TrainSize,
            TrainSizeUsed = trainUsed,
            TrainSeed = options.TrainSeed,
            Nlist = plan.Nlist,
            NlistRequested = plan.RequestedNlist,
            NodataPixels = scan.NodataPixels,
            NodataSampledPixels = scan.NodataSampledPixels,
            IndexNtotal = index.Count,
            FileSizes = new Dictionary<string, long>
            {
                [MosaicLayout.IndexFileName] = new FileInfo(indexPath).Length,
                [MosaicLayout.AllEmbeddingsFileName] = new FileInfo(staging.StagingFile(MosaicLayout.AllEmbeddingsFileName)).Length,
                [MosaicLayout.NormsFileName] = new FileInfo(staging.StagingFile(MosaicLayout.NormsFileName)).Length,
            },
            SourceFingerprint = build.Fingerprint,
            IndexBuilder = build.IndexBuilder.GetType().FullName,
            LibraryVersion = LibraryVersion,
            CreatedUtc = DateTime.UtcNow,
        };
    }
}
