using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics.Building;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// The default <see cref="IMosaicIndexer"/>. A build runs in named stages (folder <c>Building/</c>):
/// the mosaic is opened by the first raster factory that reads it and checked; a valid cached
/// viewport is returned as is; the index is created through <see cref="IVectorIndexBuilder"/> (a
/// factory string it cannot build fails here, before the long read); then, under the viewport's
/// lock and in a staging folder, the <b>scan</b> streams the mosaic once in row blocks aligned to
/// its block height, writing every pixel to <c>all_embeddings.npy</c> and keeping the sampled pixels
/// in the source's own compact type; <b>train</b> fits the index on a seeded subset; <b>encode</b>
/// adds every sample in batches; <b>commit</b> writes the index and <c>metadata.json</c> and moves the
/// folder into place. Peak memory is one read block, the samples, and the index.
/// </summary>
/// <remarks>
/// Builds of different viewports may run concurrently; a second build of the same viewport fails with <see cref="MosaicIndexErrorKind.Busy"/>.
/// <para>Which files open by path: with dependency injection (<c>AddTesseraIndexing().AddGdal().AddMosaicIndexing()</c>)
/// every registered <see cref="IRasterSourceFactory"/>, in registration order: GDAL's for GeoTIFFs and
/// <see cref="GeoTesseraTileSourceFactory"/> for GeoTessera <c>.npy</c> tiles. Without it,
/// <c>new MosaicIndexer(rasterSourceFactory: new GdalRasterSourceFactory())</c> opens both (the GeoTessera
/// factory is always added after the one given); <c>new MosaicIndexer()</c> opens GeoTessera tiles only.
/// Any <see cref="IRasterSource"/> can be built directly with <see cref="Build(IRasterSource, MosaicIndexOptions, IProgress{MosaicIndexProgress}?, CancellationToken)"/>.</para>
/// </remarks>
public sealed class MosaicIndexer : IMosaicIndexer
{
    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly MosaicSourceOpener _opener;
    private readonly ILogger _logger;

    /// <summary>Creates the indexer without dependency injection.</summary>
    /// <param name="indexBuilder">Creates, trains and fills the index; default <see cref="ManagedIvfIndexBuilder"/> (the same default as dependency injection).</param>
    /// <param name="rasterSourceFactory">Opens mosaics by path (for example Tessera.Indexing.Gdal's <c>GdalRasterSourceFactory</c>); a <see cref="GeoTesseraTileSourceFactory"/> is tried after it, so GeoTessera <c>.npy</c> tiles always open.</param>
    /// <param name="logger">Logs stages and warnings.</param>
    public MosaicIndexer(IVectorIndexBuilder? indexBuilder = null, IRasterSourceFactory? rasterSourceFactory = null, ILogger<MosaicIndexer>? logger = null)
        : this(WithGeoTessera(rasterSourceFactory), indexBuilder ?? new ManagedIvfIndexBuilder(), logger)
    {
    }

    /// <summary>Creates the indexer with exactly these raster factories (what dependency injection passes: every registered <see cref="IRasterSourceFactory"/>).</summary>
    /// <param name="rasterSourceFactories">Open mosaics by path, tried in order; the first that reads a file wins.</param>
    /// <param name="indexBuilder">Creates, trains and fills the index.</param>
    /// <param name="logger">Logs stages and warnings.</param>
    public MosaicIndexer(IEnumerable<IRasterSourceFactory> rasterSourceFactories, IVectorIndexBuilder indexBuilder, ILogger<MosaicIndexer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(rasterSourceFactories);
        ArgumentNullException.ThrowIfNull(indexBuilder);
        _opener = new MosaicSourceOpener([.. rasterSourceFactories]);
        _indexBuilder = indexBuilder;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The raster factories that open mosaics by path, in the order they are tried.</summary>
    public IReadOnlyList<IRasterSourceFactory> RasterSourceFactories => _opener.Factories;

    /// <inheritdoc />
    public Task<MosaicIndexResult> BuildAsync(string mosaicPath, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Build(mosaicPath, options, progress, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<MosaicIndexResult> BuildAsync(IRasterSource source, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Build(source, options, progress, cancellationToken), cancellationToken);

    /// <summary>Synchronous <see cref="BuildAsync(string, MosaicIndexOptions, IProgress{MosaicIndexProgress}?, CancellationToken)"/>.</summary>
    /// <param name="mosaicPath">The mosaic.</param>
    /// <param name="options">What to build.</param>
    /// <param name="progress">Receives reports.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>What was built or found.</returns>
    public MosaicIndexResult Build(string mosaicPath, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var source = _opener.Open(mosaicPath);
        return Build(source, options, progress, cancellationToken);
    }

    /// <summary>Synchronous <see cref="BuildAsync(IRasterSource, MosaicIndexOptions, IProgress{MosaicIndexProgress}?, CancellationToken)"/>.</summary>
    /// <param name="source">The mosaic; not disposed.</param>
    /// <param name="options">What to build.</param>
    /// <param name="progress">Receives reports.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    /// <returns>What was built or found.</returns>
    public MosaicIndexResult Build(IRasterSource source, MosaicIndexOptions options, IProgress<MosaicIndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        var reporter = new BuildReporter(progress);
        reporter.Report(MosaicIndexStage.Validating, 0, $"Checking {source.Path}");
        options.Validate();
        SourceChecks.Validate(source, options);
        cancellationToken.ThrowIfCancellationRequested();

        // The index to fill, created now: a factory string the builder cannot build fails before any pixel is read.
        var trainingPoints = Math.Min(options.TrainSize, ScanStage.MaxSamples(source.Width, source.Height, options.SamplingFactor, options.SamplingOffset));
        using var index = PlannedIndex.Create(_indexBuilder, source.BandCount, options, trainingPoints);
        var root = Path.GetFullPath(options.OutputRoot);
        var target = MosaicLayout.GetViewportDirectory(root, options.ViewportId);
        var fingerprint = SourceFingerprinter.Compute(source);
        if (TryCached(target, options, fingerprint, source.BandCount, total, reporter) is { } cached)
        {
            // No lock is held here: stale build folders are removed only when no build is running.
            ViewportStaging.TryRemoveStale(root, options.ViewportId);
            return cached;
        }

        MosaicIndexResult? cachedUnderLock = null;
        using var staging = ViewportLock.Enter(root, options.ViewportId, () => (cachedUnderLock = TryCached(target, options, fingerprint, source.BandCount, total, reporter)) is not null);
        if (staging is null)
        {
            return cachedUnderLock!;
        }

        var validating = total.Elapsed;
        try
        {
            var build = new BuildContext(source, options, fingerprint, staging, _indexBuilder, reporter, _logger, cancellationToken);
            var result = source.DataType switch
            {
                RasterDataType.Byte => Run<byte>(build, index),
                RasterDataType.Int8 => Run<sbyte>(build, index),
                _ => Run<float>(build, index),
            };
            var timings = result.Timings with { Validating = validating, Total = total.Elapsed };
            reporter.Report(MosaicIndexStage.Completed, 1, $"Built viewport {options.ViewportId}");
            MosaicLog.Built(_logger, options.ViewportId, total.Elapsed.TotalSeconds, result.Metadata.NumSampledPixels, result.Metadata.NumTotalPixels, target);
            return result with { Timings = timings, PeakWorkingSetBytes = PeakWorkingSet() };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(DiskSpaceGuard.FromIo(e, options.ViewportId, root));
        }
        catch (FaissException e)
        {
            throw Failed(DiskSpaceGuard.FromIndex(e, options.ViewportId, root));
        }
        catch (TesseraException e) when (e is not MosaicIndexException)
        {
            // The raster library failed while pixels were read (a mosaic cut short, a corrupt block).
            throw Failed(new MosaicIndexException(
                MosaicIndexErrorKind.SourceReadFailed,
                $"Reading the mosaic '{source.Path}' failed (is it truncated or corrupt?): {e.Message}",
                e));
        }
        catch (Exception e)
        {
            MosaicLog.Failed(_logger, options.ViewportId, e.Message);
            throw;
        }

        MosaicIndexException Failed(MosaicIndexException mapped)
        {
            MosaicLog.Failed(_logger, options.ViewportId, mapped.Message);
            return mapped;
        }
    }

    /// <summary>Scan → train → encode → commit, timing each stage.</summary>
    private static MosaicIndexResult Run<T>(BuildContext build, PlannedIndex index)
        where T : unmanaged
    {
        var watch = Stopwatch.StartNew();
        var scan = ScanStage.Run<T>(build);
        var scanning = watch.Elapsed;

        watch.Restart();
        var trainUsed = TrainStage.Run(build, index, scan.Samples);
        var training = watch.Elapsed;

        watch.Restart();
        EncodeStage.Run(build, index.Index, scan.Samples);
        var adding = watch.Elapsed;

        watch.Restart();
        var metadata = CommitStage.Run(build, index, scan, trainUsed);
        var saving = watch.Elapsed;
        return new MosaicIndexResult(
            MosaicIndexStatus.Built,
            build.Staging.Target,
            metadata,
            new MosaicIndexTimings(TimeSpan.Zero, scanning, training, adding, saving, TimeSpan.Zero),
            0);
    }

    private static IRasterSourceFactory[] WithGeoTessera(IRasterSourceFactory? factory) => factory switch
    {
        null => [new GeoTesseraTileSourceFactory()],
        GeoTesseraTileSourceFactory => [factory],
        _ => [factory, new GeoTesseraTileSourceFactory()],
    };

    private MosaicIndexResult? TryCached(string target, MosaicIndexOptions options, MosaicSourceFingerprint fingerprint, int dimension, Stopwatch total, BuildReporter reporter)
    {
        if (options.Force)
        {
            if (Directory.Exists(target))
            {
                MosaicLog.Rebuilding(_logger, options.ViewportId, "forced");
            }

            return null;
        }

        var metadata = MosaicCache.TryGetValid(target, options, fingerprint, dimension, out var reason);
        if (metadata is null)
        {
            if (Directory.Exists(target))
            {
                MosaicLog.Rebuilding(_logger, options.ViewportId, reason);
            }

            return null;
        }

        if (metadata.FileSha256 is null)
        {
            MosaicLog.NoChecksums(_logger, options.ViewportId, target);
        }

        MosaicLog.Cached(_logger, options.ViewportId, target);
        reporter.Report(MosaicIndexStage.Completed, 1, $"Viewport {options.ViewportId} is cached");
        var elapsed = total.Elapsed;
        return new MosaicIndexResult(
            MosaicIndexStatus.Cached,
            target,
            metadata,
            new MosaicIndexTimings(elapsed, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, elapsed),
            PeakWorkingSet());
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
