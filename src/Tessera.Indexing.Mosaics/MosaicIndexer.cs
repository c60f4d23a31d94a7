using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Mosaics.GeoTessera;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Numpy;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// The default <see cref="IMosaicIndexer"/>. One pass streams the mosaic in row blocks aligned to its
/// block height, writing every pixel to <c>all_embeddings.npy</c> and keeping the sampled pixels in
/// the source's own compact type; the index is then trained on a seeded subset and filled in batches
/// through <see cref="IVectorIndexBuilder"/>. Peak memory is one read block, the samples, and the index.
/// </summary>
/// <remarks>Builds of different viewports may run concurrently; a second build of the same viewport fails with <see cref="MosaicIndexErrorKind.Busy"/>.</remarks>
public sealed class MosaicIndexer : IMosaicIndexer
{
    /// <summary>Pixels converted to float32 at a time when writing <c>all_embeddings.npy</c>.</summary>
    private const int ConvertChunkPixels = 4096;

    private static readonly string LibraryVersion =
        typeof(MosaicIndexer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(MosaicIndexer).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly IRasterSourceFactory? _rasterSourceFactory;
    private readonly ILogger _logger;

    /// <summary>Creates the indexer.</summary>
    /// <param name="indexBuilder">Creates, trains and fills the index; default <see cref="Quantization.ManagedIvfIndexBuilder"/> (the same default as dependency injection).</param>
    /// <param name="rasterSourceFactory">Opens mosaics by path (GDAL's, from <c>.AddGdal()</c>); without one only GeoTessera <c>.npy</c> tiles open by path.</param>
    /// <param name="logger">Logs stages and warnings.</param>
    public MosaicIndexer(IVectorIndexBuilder? indexBuilder = null, IRasterSourceFactory? rasterSourceFactory = null, ILogger<MosaicIndexer>? logger = null)
    {
        _indexBuilder = indexBuilder ?? new Quantization.ManagedIvfIndexBuilder();
        _rasterSourceFactory = rasterSourceFactory;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

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
        using var source = Open(mosaicPath);
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
        var reporter = new Reporter(progress);
        reporter.Report(MosaicIndexStage.Validating, 0, $"Checking {source.Path}");
        options.Validate();
        ValidateSource(source, options);
        ValidateFactory(source.BandCount, options);
        cancellationToken.ThrowIfCancellationRequested();

        var root = Path.GetFullPath(options.OutputRoot);
        var target = MosaicLayout.GetViewportDirectory(root, options.ViewportId);
        var fingerprint = SourceFingerprinter.Compute(source);
        if (TryCached(target, options, fingerprint, source.BandCount, total, reporter) is { } cached)
        {
            return cached;
        }

        FileStream lockStream;
        try
        {
            lockStream = ViewportStaging.AcquireLock(root, options.ViewportId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MapIo(e, options.ViewportId, root);
        }

        ViewportStaging staging;
        try
        {
            // Another build may have finished while this one waited for the lock.
            if (TryCached(target, options, fingerprint, source.BandCount, total, reporter) is { } cachedUnderLock)
            {
                lockStream.Dispose();
                return cachedUnderLock;
            }

            staging = ViewportStaging.Begin(root, options.ViewportId, lockStream);
        }
        catch (Exception e)
        {
            lockStream.Dispose();
            if (e is IOException or UnauthorizedAccessException)
            {
                throw MapIo(e, options.ViewportId, root);
            }

            throw;
        }

        using (staging)
        {
            var validating = total.Elapsed;
            try
            {
                var result = source.DataType switch
                {
                    RasterDataType.Byte => Run<byte>(source, options, fingerprint, staging, reporter, cancellationToken),
                    RasterDataType.Int8 => Run<sbyte>(source, options, fingerprint, staging, reporter, cancellationToken),
                    _ => Run<float>(source, options, fingerprint, staging, reporter, cancellationToken),
                };
                var timings = result.Timings with { Validating = validating, Total = total.Elapsed };
                reporter.Report(MosaicIndexStage.Completed, 1, $"Built viewport {options.ViewportId}");
                MosaicLog.Built(_logger, options.ViewportId, total.Elapsed.TotalSeconds, result.Metadata.NumSampledPixels, result.Metadata.NumTotalPixels, target);
                return result with { Timings = timings, PeakWorkingSetBytes = PeakWorkingSet() };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var mapped = MapIo(e, options.ViewportId, root);
                MosaicLog.Failed(_logger, options.ViewportId, mapped.Message);
                throw mapped;
            }
            catch (FaissException e)
            {
                var full = e.NativeMessage.Contains("No space left", StringComparison.OrdinalIgnoreCase);
                var mapped = new MosaicIndexException(
                    full ? MosaicIndexErrorKind.DiskFull : MosaicIndexErrorKind.IndexBuildFailed,
                    full ? $"Not enough disk space to write viewport '{options.ViewportId}' in '{root}': {e.Message}" : $"Building the index of viewport '{options.ViewportId}' failed: {e.Message}",
                    e);
                MosaicLog.Failed(_logger, options.ViewportId, mapped.Message);
                throw mapped;
            }
            catch (Exception e)
            {
                MosaicLog.Failed(_logger, options.ViewportId, e.Message);
                throw;
            }
        }
    }

    private IRasterSource Open(string mosaicPath)
    {
        if (string.IsNullOrWhiteSpace(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, "No mosaic file was given.");
        }

        var isVirtual = mosaicPath.StartsWith("/vsi", StringComparison.Ordinal);
        if (!isVirtual && Directory.Exists(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{mosaicPath}' is a folder, not a mosaic file.");
        }

        if (!isVirtual && !File.Exists(mosaicPath))
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, $"Mosaic file '{mosaicPath}' does not exist.");
        }

        try
        {
            if (mosaicPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                return GeoTesseraTileSource.Open(mosaicPath);
            }

            if (_rasterSourceFactory is null)
            {
                throw new MosaicIndexException(
                    MosaicIndexErrorKind.NotARaster,
                    $"No raster reader is registered to open '{mosaicPath}': add GDAL (services.AddTesseraIndexing().AddGdal()) or pass an IRasterSourceFactory.");
            }

            return _rasterSourceFactory.Open(mosaicPath);
        }
        catch (FileNotFoundException e)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.SourceNotFound, e.Message, e);
        }
        catch (Exception e) when (e is not MosaicIndexException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{mosaicPath}' is not a readable raster: {e.Message}", e);
        }
    }

    private static void ValidateSource(IRasterSource source, MosaicIndexOptions options)
    {
        if (source.DataType is not (RasterDataType.Byte or RasterDataType.Int8 or RasterDataType.Float32))
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.UnsupportedDataType,
                $"'{source.Path}' has {source.DataType} bands; mosaics must be Byte (uint8, divided by 255), Int8 (with per-pixel scales) or Float32.");
        }

        if (source.Width < 1 || source.Height < 1 || source.BandCount < 1)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{source.Path}' is empty ({source.Width}x{source.Height}, {source.BandCount} bands).");
        }

        if (options.ExpectedDimension is { } expected && expected != source.BandCount)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.DimensionMismatch,
                $"'{source.Path}' has {source.BandCount} bands, but the embedding dimension is declared as {expected}.");
        }

        if (source.GeoTransform is null)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.MissingGeoTransform,
                $"'{source.Path}' has no geotransform, so its pixels cannot be mapped to coordinates; georeference it first (for example with gdal_translate -a_ullr).");
        }

        if (options.AllEmbeddingsType == MosaicEmbeddingsType.UInt8 && source.DataType != RasterDataType.Byte)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.InvalidOptions,
                $"all_embeddings can be stored as uint8 only for a Byte mosaic; '{source.Path}' has {source.DataType} bands (use float32).");
        }

        if ((long)source.Width * source.BandCount > Array.MaxLength)
        {
            throw new MosaicIndexException(MosaicIndexErrorKind.NotARaster, $"'{source.Path}' has rows too long to read ({source.Width} pixels x {source.BandCount} bands).");
        }
    }

    private void ValidateFactory(int dimension, MosaicIndexOptions options)
    {
        var wrapped = IndexFactoryPlan.Wrap(options.IndexFactory);
        try
        {
            using var probe = _indexBuilder.Create(new VectorIndexSpec(dimension, wrapped, options.Metric));
        }
        catch (Exception e) when (e is FaissException or ArgumentException or NotSupportedException or FormatException)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.InvalidIndexFactory,
                $"The index factory string '{options.IndexFactory}' cannot build a {dimension}-d index: {e.Message}",
                e);
        }
    }

    private MosaicIndexResult? TryCached(string target, MosaicIndexOptions options, MosaicSourceFingerprint fingerprint, int dimension, Stopwatch total, Reporter reporter)
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

    private MosaicIndexResult Run<T>(
        IRasterSource source,
        MosaicIndexOptions options,
        MosaicSourceFingerprint fingerprint,
        ViewportStaging staging,
        Reporter reporter,
        CancellationToken cancellationToken)
        where T : unmanaged
    {
        var watch = Stopwatch.StartNew();
        var scan = Scan<T>(source, options, staging, reporter, cancellationToken);
        var scanning = watch.Elapsed;

        watch.Restart();
        var (index, plan, trainUsed) = Train(scan.Samples, options, reporter, cancellationToken);
        using (index)
        {
            var training = watch.Elapsed;
            watch.Restart();
            Add(index, scan.Samples, options, reporter, cancellationToken);
            var adding = watch.Elapsed;

            watch.Restart();
            reporter.Report(MosaicIndexStage.Saving, 0, "Writing embeddings.index");
            cancellationToken.ThrowIfCancellationRequested();
            var indexPath = staging.StagingFile(MosaicLayout.IndexFileName);
            index.Save(indexPath);
            var transform = source.GeoTransform!.Value;
            var dimension = source.BandCount;
            var metadata = new MosaicMetadata
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
                NodataPixels = scan.NodataPixels,
                NodataSampledPixels = scan.NodataSampledPixels,
                IndexNtotal = index.Count,
                FileSizes = new Dictionary<string, long>
                {
                    [MosaicLayout.IndexFileName] = new FileInfo(indexPath).Length,
                    [MosaicLayout.AllEmbeddingsFileName] = new FileInfo(staging.StagingFile(MosaicLayout.AllEmbeddingsFileName)).Length,
                },
                SourceFingerprint = fingerprint,
                IndexBuilder = _indexBuilder.GetType().FullName,
                LibraryVersion = LibraryVersion,
                CreatedUtc = DateTime.UtcNow,
            };
            metadata.Write(staging.StagingFile(MosaicLayout.MetadataFileName));
            reporter.Report(MosaicIndexStage.Saving, 0.9, "Moving the viewport into place");
            cancellationToken.ThrowIfCancellationRequested();
            staging.Commit();
            var saving = watch.Elapsed;
            return new MosaicIndexResult(
                MosaicIndexStatus.Built,
                staging.Target,
                metadata,
                new MosaicIndexTimings(TimeSpan.Zero, scanning, training, adding, saving, TimeSpan.Zero),
                0);
        }
    }

    private ScanResult<T> Scan<T>(IRasterSource source, MosaicIndexOptions options, ViewportStaging staging, Reporter reporter, CancellationToken cancellationToken)
        where T : unmanaged
    {
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
            MosaicLog.UnscaledInt8(_logger, options.ViewportId);
        }

        var (blockWidth, blockHeight) = source.BlockSize;
        var rowsPerRead = PlanRowsPerRead(options.MaxReadBytes, (long)rowValues * Marshal.SizeOf<T>(), Math.Max(1, blockHeight), height);
        MosaicLog.Scanning(_logger, options.ViewportId, width, height, bands, source.DataType.ToString(), options.SamplingFactor, options.SamplingOffset, rowsPerRead, blockWidth, blockHeight);

        var npyType = options.AllEmbeddingsType == MosaicEmbeddingsType.UInt8 ? NpyDataType.UInt8 : NpyDataType.Float32;
        var samples = new SampleStore<T>(bands, scaled is not null);
        var noData = new NoDataTest(source.NoDataValue);
        var factor = options.SamplingFactor;
        var offset = options.SamplingOffset;
        long nodataPixels = 0;
        long nodataSampled = 0;

        var block = ArrayPool<T>.Shared.Rent(rowsPerRead * rowValues);
        var scales = scaled is null ? null : ArrayPool<float>.Shared.Rent(rowsPerRead * width);
        var converted = typeof(T) == typeof(float) || npyType == NpyDataType.UInt8 ? null : ArrayPool<float>.Shared.Rent(ConvertChunkPixels * bands);
        try
        {
            using var writer = NpyWriter.Create(staging.StagingFile(MosaicLayout.AllEmbeddingsFileName), npyType, [(long)width * height, bands]);
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

                    WriteRow(writer, row, rowScales, bands, converted);
                }

                var done = (double)(y0 + rows) / height;
                reporter.Report(MosaicIndexStage.Scanning, done, $"Read {y0 + rows} of {height} rows, {samples.Count} samples");
            }

            writer.Complete();
        }
        finally
        {
            ArrayPool<T>.Shared.Return(block);
            if (scales is not null)
            {
                ArrayPool<float>.Shared.Return(scales);
            }

            if (converted is not null)
            {
                ArrayPool<float>.Shared.Return(converted);
            }
        }

        MosaicLog.Scanned(_logger, options.ViewportId, samples.Count, nodataPixels, nodataSampled, samples.AllocatedBytes);
        return new ScanResult<T>(samples, nodataPixels, nodataSampled);
    }

    private static void WriteRow<T>(NpyWriter writer, ReadOnlySpan<T> row, ReadOnlySpan<float> rowScales, int bands, float[]? converted)
        where T : unmanaged
    {
        if (converted is null)
        {
            // Stored as is: float32 from a Float32 mosaic, or uint8 from a Byte mosaic.
            writer.Write(row);
            return;
        }

        var chunkValues = ConvertChunkPixels * bands;
        for (var start = 0; start < row.Length; start += chunkValues)
        {
            var count = Math.Min(chunkValues, row.Length - start);
            var destination = converted.AsSpan(0, count);
            var firstPixel = start / bands;
            ToVectors(row.Slice(start, count), rowScales.IsEmpty ? default : rowScales.Slice(firstPixel, count / bands), destination);
            writer.Write<float>(destination);
        }
    }

    /// <summary>Stored values to float32 vectors (before normalisation): Byte ÷ 255, Int8 × scale, Float32 as is.</summary>
    private static void ToVectors<T>(ReadOnlySpan<T> values, ReadOnlySpan<float> pixelScales, Span<float> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
        {
            EmbeddingKernels.ConvertUInt8(MemoryMarshal.Cast<T, byte>(values), destination);
        }
        else if (typeof(T) == typeof(sbyte))
        {
            var stored = MemoryMarshal.Cast<T, sbyte>(values);
            if (pixelScales.IsEmpty)
            {
                EmbeddingKernels.DequantizeInt8(stored, 1f, destination);
            }
            else
            {
                EmbeddingKernels.DequantizeInt8Rows(stored, pixelScales, destination);
            }
        }
        else
        {
            MemoryMarshal.Cast<T, float>(values).CopyTo(destination);
        }
    }

    private (IVectorIndex Index, IndexFactoryPlan Plan, int TrainUsed) Train<T>(SampleStore<T> samples, MosaicIndexOptions options, Reporter reporter, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var n = samples.Count;
        if (n == 0)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.TooFewSamples,
                $"No valid pixels were sampled for viewport '{options.ViewportId}': every sampled pixel is nodata. Check the mosaic's nodata value, or lower the sampling factor.");
        }

        var trainCount = (int)Math.Min(options.TrainSize, n);
        var plan = IndexFactoryPlan.Create(options.IndexFactory, trainCount);
        if (plan.NlistLowered)
        {
            MosaicLog.NlistLowered(_logger, options.ViewportId, trainCount, plan.RequestedNlist, IndexFactoryPlan.MinimumPointsPerCentroid, plan.Nlist, plan.Effective);
        }

        var dimension = samples.Dimension;
        var index = _indexBuilder.Create(new VectorIndexSpec(dimension, plan.Effective, options.Metric));
        try
        {
            if (index.IsTrained)
            {
                return (index, plan, 0);
            }

            if (trainCount < plan.MinimumTrainingPoints)
            {
                throw new MosaicIndexException(
                    MosaicIndexErrorKind.TooFewSamples,
                    $"The index '{options.IndexFactory}' needs at least {plan.MinimumTrainingPoints} training vectors for its product quantiser, but viewport '{options.ViewportId}' has only {n} valid sampled pixels (sampling factor {options.SamplingFactor}). Lower the sampling factor, or use an index without PQ (for example 'IVF16,Flat' or 'Flat').");
            }

            MosaicLog.Training(_logger, options.ViewportId, plan.Effective, trainCount, options.TrainSeed);
            reporter.Report(MosaicIndexStage.Training, 0, $"Training {plan.Effective} on {trainCount} vectors");
            var vectors = GC.AllocateUninitializedArray<float>(checked(trainCount * dimension));
            var chosen = 0;
            foreach (var i in SelectTrainingSamples(n, trainCount, options.TrainSeed))
            {
                var scale = samples.GetScale(i);
                ToVectors(samples.GetValues(i), samples.HasScales ? new ReadOnlySpan<float>(in scale) : default, vectors.AsSpan(chosen * dimension, dimension));
                chosen++;
            }

            if (options.Normalize)
            {
                EmbeddingKernels.NormalizeRows(vectors, dimension);
            }

            cancellationToken.ThrowIfCancellationRequested();
            _indexBuilder.Train(index, vectors, cancellationToken);
            reporter.Report(MosaicIndexStage.Training, 1, $"Trained {plan.Effective}");
            return (index, plan, trainCount);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Knuth's selection sampling: <paramref name="count"/> of <paramref name="total"/> indexes, in order, reproducible from <paramref name="seed"/>.</summary>
    internal static IEnumerable<long> SelectTrainingSamples(long total, int count, int seed)
    {
        if (count >= total)
        {
            for (long i = 0; i < total; i++)
            {
                yield return i;
            }

            yield break;
        }

        var random = new Random(seed);
        long needed = count;
        for (long i = 0; i < total && needed > 0; i++)
        {
            if (random.NextDouble() * (total - i) < needed)
            {
                needed--;
                yield return i;
            }
        }
    }

    private void Add<T>(IVectorIndex index, SampleStore<T> samples, MosaicIndexOptions options, Reporter reporter, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var dimension = samples.Dimension;
        var batch = Math.Min(options.AddBatchSize, SampleStore<T>.ChunkSamples);
        var buffer = ArrayPool<float>.Shared.Rent(batch * dimension);
        try
        {
            for (long start = 0; start < samples.Count;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var toChunkEnd = SampleStore<T>.ChunkSamples - (int)(start % SampleStore<T>.ChunkSamples);
                var count = (int)Math.Min(Math.Min(batch, toChunkEnd), samples.Count - start);
                var vectors = buffer.AsSpan(0, count * dimension);
                ToVectors(samples.GetValues(start, count), samples.GetScales(start, count), vectors);
                if (options.Normalize)
                {
                    EmbeddingKernels.NormalizeRows(vectors, dimension);
                }

                _indexBuilder.Add(index, vectors, samples.GetIds(start, count), cancellationToken);
                start += count;
                reporter.Report(MosaicIndexStage.Adding, (double)start / samples.Count, $"Added {start} of {samples.Count} vectors");
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        if (index.Count != samples.Count)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.IndexBuildFailed,
                $"The index holds {index.Count} vectors after adding {samples.Count}; the index builder lost some.");
        }
    }

    /// <summary>Rows per read: whole multiples of the block height within the byte budget, else the largest divisor of the block height that fits (at least one row).</summary>
    internal static int PlanRowsPerRead(long maxBytes, long rowBytes, int blockHeight, int height)
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

    private static MosaicIndexException MapIo(Exception e, string viewportId, string root)
    {
        var full = e is IOException && IsDiskFull((IOException)e);
        return full
            ? new MosaicIndexException(MosaicIndexErrorKind.DiskFull, $"Not enough disk space to write viewport '{viewportId}' in '{root}' ({e.Message}). Nothing was left behind; free some space or choose another output folder.", e)
            : new MosaicIndexException(MosaicIndexErrorKind.Io, $"Writing viewport '{viewportId}' in '{root}' failed: {e.Message}", e);
    }

    private static bool IsDiskFull(IOException e)
    {
        const int enospc = 28;
        const int errorDiskFull = 0x70;
        const int errorHandleDiskFull = 0x27;
        var code = e.HResult & 0xFFFF;
        return e.HResult == enospc || code == errorDiskFull || code == errorHandleDiskFull
            || e.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    private sealed record ScanResult<T>(SampleStore<T> Samples, long NodataPixels, long NodataSampledPixels)
        where T : unmanaged;

    /// <summary>Reports progress with an overall fraction from fixed stage weights.</summary>
    private sealed class Reporter(IProgress<MosaicIndexProgress>? progress)
    {
        public void Report(MosaicIndexStage stage, double fraction, string message)
        {
            if (progress is null)
            {
                return;
            }

            var (start, end) = stage switch
            {
                MosaicIndexStage.Validating => (0.0, 0.02),
                MosaicIndexStage.Scanning => (0.02, 0.6),
                MosaicIndexStage.Training => (0.6, 0.8),
                MosaicIndexStage.Adding => (0.8, 0.95),
                MosaicIndexStage.Saving => (0.95, 1.0),
                _ => (1.0, 1.0),
            };
            fraction = Math.Clamp(fraction, 0, 1);
            progress.Report(new MosaicIndexProgress(stage, fraction, start + ((end - start) * fraction), message));
        }
    }
}
