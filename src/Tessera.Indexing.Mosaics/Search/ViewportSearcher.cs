using System.Buffers;
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Imaging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Similarity search over one viewport folder (<c>embeddings.index</c>, <c>all_embeddings.npy</c>,
/// <c>metadata.json</c>), opened once and queried many times, from many threads at once.
/// </summary>
/// <remarks>
/// Top-k goes through FAISS (per-query <c>nprobe</c>; candidates re-scored exactly). Threshold and
/// percent searches consider every pixel: by default an exact SIMD scan of the memory-mapped
/// embeddings, parallel over cores (measured faster than FAISS range-search candidates, see
/// <c>docs/search.md</c>). Scores are computed on the vectors that were indexed: stored value ×
/// scale, unit-normalised when the metadata says the index was. Pixels whose values are all zero
/// are "no data": they never match and are left out of distributions.
/// Disposing while searches run is safe: the files are released when the last search ends.
/// </remarks>
public sealed partial class ViewportSearcher : IDisposable
{
    private readonly ViewportLayout _layout;
    private readonly EmbeddingMatrix _matrix;
    private readonly IDisposable _matrixOwner;
    private readonly FaissIndex? _index;
    private readonly ViewportSearcherOptions _options;
    private readonly ILogger _logger;
    private readonly bool _normalizeRows;
    private int _references = 1;
    private int _disposed;

    internal ViewportSearcher(
        ViewportLayout layout,
        EmbeddingMatrix matrix,
        IDisposable matrixOwner,
        FaissIndex? index,
        bool normalizeRows,
        ViewportSearcherOptions? options,
        ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(matrixOwner);
        options ??= new ViewportSearcherOptions();
        options.Validate();
        if (matrix.Rows != layout.PixelCount || matrix.Dimension != layout.Dimension)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.InvalidViewport,
                $"Viewport '{layout.ViewportId}': all_embeddings holds {matrix.Rows} rows of {matrix.Dimension} values; the metadata says {layout.PixelCount} pixels ({layout.Height} × {layout.Width}) of {layout.Dimension}.");
        }

        if (index is not null && index.Dimension != layout.Dimension)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.InvalidViewport,
                $"Viewport '{layout.ViewportId}': the FAISS index is {index.Dimension}-d; the embeddings are {layout.Dimension}-d.");
        }

        _layout = layout;
        _matrix = matrix;
        _matrixOwner = matrixOwner;
        _index = index;
        _normalizeRows = normalizeRows;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The viewport id.</summary>
    public string ViewportId => _layout.ViewportId;

    /// <summary>Mosaic width in pixels.</summary>
    public int Width => _layout.Width;

    /// <summary>Mosaic height in pixels.</summary>
    public int Height => _layout.Height;

    /// <summary>Pixels in the viewport (width × height).</summary>
    public long PixelCount => _layout.PixelCount;

    /// <summary>Embedding dimension.</summary>
    public int Dimension => _layout.Dimension;

    /// <summary>The pixel ↔ world transform of the mosaic.</summary>
    public GeoTransform GeoTransform => _layout.GeoTransform;

    /// <summary>The mosaic's CRS as the metadata names it.</summary>
    public string? Crs => _layout.Crs;

    /// <summary>Whether the indexed vectors are unit-normalised.</summary>
    public bool Normalized => _layout.Normalized;

    /// <summary>Whether a FAISS index is loaded (top-k and range candidates need one).</summary>
    public bool HasIndex => _index is not null;

    /// <summary>The FAISS index's metric, or <see langword="null"/> without an index.</summary>
    public VectorMetric? IndexMetric => _index?.Metric;

    /// <summary>Vectors in the FAISS index (the sampled pixels), 0 without an index.</summary>
    public long IndexedCount => _index?.Count ?? 0;

    /// <summary>Whether the embeddings are stored as uint8 (else float32).</summary>
    public bool StoresBytes => _matrix.ElementType == EmbeddingElementType.UInt8;

    /// <summary>The world coordinates of the centre of pixel (<paramref name="row"/>, <paramref name="col"/>).</summary>
    /// <param name="row">Row.</param>
    /// <param name="col">Column.</param>
    /// <returns>Latitude (world Y) and longitude (world X).</returns>
    public (double Latitude, double Longitude) PixelCenter(int row, int col)
    {
        CheckPixel(row, col);
        var (x, y) = _layout.GeoTransform.PixelCenterToWorld(row, col);
        return (y, x);
    }

    /// <summary>The pixel whose footprint contains the point.</summary>
    /// <param name="latitude">Latitude (world Y).</param>
    /// <param name="longitude">Longitude (world X).</param>
    /// <returns>Row and column.</returns>
    /// <exception cref="ViewportSearchException">The point lies outside the mosaic (<see cref="ViewportSearchErrorKind.OutsideMosaic"/>).</exception>
    public (int Row, int Col) PixelAt(double latitude, double longitude)
    {
        var (colF, rowF) = _layout.GeoTransform.WorldToPixel(longitude, latitude);
        var row = Math.Floor(rowF);
        var col = Math.Floor(colF);
        if (!(row >= 0 && row < Height && col >= 0 && col < Width))
        {
            var (x0, y0) = _layout.GeoTransform.PixelToWorld(0, 0);
            var (x1, y1) = _layout.GeoTransform.PixelToWorld(Width, Height);
            throw new ViewportSearchException(
                ViewportSearchErrorKind.OutsideMosaic,
                FormattableString.Invariant(
                    $"The point lat {latitude}, lon {longitude} lies outside viewport '{ViewportId}' (lat {Math.Min(y0, y1)}..{Math.Max(y0, y1)}, lon {Math.Min(x0, x1)}..{Math.Max(x0, x1)})."),
                "lat");
        }

        return ((int)row, (int)col);
    }

    /// <summary>The indexed vector of a pixel (stored × scale; unit-normalised for a normalised viewport).</summary>
    /// <param name="row">Row.</param>
    /// <param name="col">Column.</param>
    /// <returns>A new array of <see cref="Dimension"/> values.</returns>
    public float[] GetIndexedVector(int row, int col)
    {
        CheckPixel(row, col);
        Enter();
        try
        {
            var vector = new float[Dimension];
            _matrix.ReadVector(((long)row * Width) + col, vector);
            if (_layout.Normalized)
            {
                NormalizeInPlace(vector);
            }

            return vector;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Runs one search.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Stops a scan between chunks.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ViewportSearchException">The request is invalid, the query lies outside the mosaic or has no data, or the strategy cannot run here.</exception>
    public SimilaritySearchResult Search(SimilaritySearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SearchBatch([request], cancellationToken)[0];
    }

    /// <summary>
    /// Runs several searches in one call. Exact scans of the batch share one pass over the
    /// embeddings (each chunk of rows is read once and scored against every query).
    /// </summary>
    /// <param name="requests">The requests.</param>
    /// <param name="cancellationToken">Stops the scans between chunks.</param>
    /// <returns>One result per request, in order.</returns>
    public IReadOnlyList<SimilaritySearchResult> SearchBatch(IReadOnlyList<SimilaritySearchRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            ArgumentNullException.ThrowIfNull(request, nameof(requests));
            request.Validate();
        }

        Enter();
        try
        {
            return SearchBatchCore(requests, cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>The distribution of <paramref name="query"/>'s scores over every pixel with data.</summary>
    /// <param name="query">The query.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>Min, percentiles and max.</returns>
    public ScoreDistribution GetScoreDistribution(ViewportQuery query, SimilarityMetric metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Enter();
        try
        {
            var prepared = Prepare(query, metric);
            return Distribution(prepared.Scoring, [], cancellationToken).Distribution;
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Renders the query's similarity over the viewport as an RGB heat map, at most
    /// <paramref name="maxSize"/> pixels on its longer side (a larger viewport is reduced by whole
    /// factors, each image pixel showing the best score of the pixels it covers).
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="maxSize">Longest side of the image (16..8192).</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>The heat map.</returns>
    public SimilarityHeatmap RenderHeatmap(ViewportQuery query, SimilarityMetric metric, int maxSize = 1024, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, 8192);
        Enter();
        try
        {
            var prepared = Prepare(query, metric);
            return RenderHeatmapCore(prepared.Scoring, maxSize, cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Releases the index and the mapped embeddings (after the last running search).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Exit();
        }
    }

    private IReadOnlyList<SimilaritySearchResult> SearchBatchCore(IReadOnlyList<SimilaritySearchRequest> requests, CancellationToken cancellationToken)
    {
        var count = requests.Count;
        var started = new long[count];
        var prepared = new PreparedQuery[count];
        var results = new SimilaritySearchResult[count];
        var distributions = new ScoreDistribution?[count];
        var thresholds = new float?[count];
        var strategies = new SearchStrategy[count];
        var scanIndexes = new List<int>();

        for (var i = 0; i < count; i++)
        {
            started[i] = Stopwatch.GetTimestamp();
            var request = requests[i];
            prepared[i] = Prepare(request.Query, request.Metric);
            strategies[i] = ChooseStrategy(request);
            thresholds[i] = request.Threshold;

            if (request.Mode == SearchMode.TopPercent)
            {
                var (distribution, cutoff) = Distribution(prepared[i].Scoring, [request.TopPercent!.Value], cancellationToken);
                distributions[i] = distribution;
                thresholds[i] = cutoff;
            }
            else if (request.IncludeDistribution)
            {
                distributions[i] = Distribution(prepared[i].Scoring, [], cancellationToken).Distribution;
            }

            switch (strategies[i])
            {
                case SearchStrategy.ExactScan:
                    scanIndexes.Add(i);
                    break;
                case SearchStrategy.FaissTopK:
                    var hits = FaissTopK(prepared[i], request.K, request.NProbe);
                    results[i] = Result(request, prepared[i], strategies[i], false, hits.Length, null, hits, distributions[i], started[i]);
                    break;
                case SearchStrategy.FaissRangeCandidates:
                    var (total, matches) = RangeCandidates(prepared[i], request.Threshold!.Value, request.Limit, request.NProbe, cancellationToken);
                    results[i] = Result(request, prepared[i], strategies[i], false, total, request.Threshold, matches, distributions[i], started[i]);
                    break;
            }
        }

        if (scanIndexes.Count > 0)
        {
            var queries = new ScoringQuery[scanIndexes.Count];
            var scanThresholds = new float[scanIndexes.Count];
            var limit = 0;
            for (var j = 0; j < scanIndexes.Count; j++)
            {
                var i = scanIndexes[j];
                queries[j] = prepared[i].Scoring;
                scanThresholds[j] = thresholds[i] ?? float.NaN;
                limit = Math.Max(limit, requests[i].Mode == SearchMode.TopK ? requests[i].K : requests[i].Limit);
            }

            var outcomes = ExactScanner.Scan(_matrix, queries, scanThresholds, limit, _options.MaxDegreeOfParallelism, cancellationToken);
            for (var j = 0; j < scanIndexes.Count; j++)
            {
                var i = scanIndexes[j];
                var request = requests[i];
                var own = request.Mode == SearchMode.TopK ? request.K : request.Limit;
                var matches = outcomes[j].Matches.AsSpan(0, Math.Min(own, outcomes[j].Matches.Length)).ToArray();
                var total = request.Mode == SearchMode.TopK ? matches.Length : outcomes[j].Total;
                results[i] = Result(request, prepared[i], SearchStrategy.ExactScan, true, total, thresholds[i], matches, distributions[i], started[i]);
            }
        }

        return results;
    }

    private SearchStrategy ChooseStrategy(SimilaritySearchRequest request)
    {
        var strategy = request.Strategy;
        if (strategy == SearchStrategy.Auto)
        {
            // Threshold and percent searches: the exact scan measured faster than range-search
            // candidates (docs/search.md) and is exact. Top-k: FAISS where an index exists.
            strategy = request.Mode == SearchMode.TopK && _index is not null ? SearchStrategy.FaissTopK : SearchStrategy.ExactScan;
        }

        if (strategy is SearchStrategy.FaissTopK or SearchStrategy.FaissRangeCandidates && _index is null)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.StrategyUnavailable,
                $"Viewport '{ViewportId}' has no FAISS index: strategy {strategy} cannot run (use the exact scan).",
                "strategy");
        }

        return strategy;
    }

    private SimilaritySearchResult Result(
        SimilaritySearchRequest request,
        PreparedQuery prepared,
        SearchStrategy strategy,
        bool exact,
        long total,
        float? threshold,
        (long Pixel, float Score)[] hits,
        ScoreDistribution? distribution,
        long started)
    {
        var matches = new PixelMatch[hits.Length];
        for (var i = 0; i < hits.Length; i++)
        {
            matches[i] = ToMatch(hits[i].Pixel, hits[i].Score);
        }

        return new SimilaritySearchResult(prepared.Resolved, request.Metric, request.Mode, strategy, exact, total, threshold, matches, distribution, Stopwatch.GetElapsedTime(started));
    }

    private PixelMatch ToMatch(long pixel, float score)
    {
        var row = (int)(pixel / Width);
        var col = (int)(pixel % Width);
        var (x, y) = _layout.GeoTransform.PixelCenterToWorld(row, col);
        return new PixelMatch(pixel, row, col, y, x, score);
    }

    private PreparedQuery Prepare(ViewportQuery query, SimilarityMetric metric)
    {
        float[] vector;
        ResolvedQuery resolved;
        switch (query.Kind)
        {
            case ViewportQueryKind.Vector:
                if (query.Vector.Length != Dimension)
                {
                    throw new ViewportSearchException(
                        ViewportSearchErrorKind.InvalidRequest,
                        $"The query vector has {query.Vector.Length} values; viewport '{ViewportId}' has {Dimension}-d embeddings.",
                        "vector");
                }

                vector = query.Vector.ToArray();
                if (_layout.Normalized)
                {
                    if (TensorPrimitives.Norm(vector) == 0f)
                    {
                        throw new ViewportSearchException(ViewportSearchErrorKind.InvalidRequest, "The query vector is all zeros.", "vector");
                    }

                    NormalizeInPlace(vector);
                }

                resolved = new ResolvedQuery(ViewportQueryKind.Vector, null, null, null, null, null);
                break;

            case ViewportQueryKind.Pixel:
            case ViewportQueryKind.LatLon:
                var (row, col) = query.Kind == ViewportQueryKind.Pixel ? (query.Row, query.Col) : PixelAt(query.Latitude, query.Longitude);
                CheckPixel(row, col);
                var pixel = ((long)row * Width) + col;
                vector = new float[Dimension];
                _matrix.ReadVector(pixel, vector);
                if (TensorPrimitives.Norm(vector) == 0f)
                {
                    throw new ViewportSearchException(
                        ViewportSearchErrorKind.NoDataAtQuery,
                        $"Pixel ({row}, {col}) of viewport '{ViewportId}' has no data (all its values are zero).",
                        query.Kind == ViewportQueryKind.Pixel ? "row" : "lat");
                }

                if (_layout.Normalized)
                {
                    NormalizeInPlace(vector);
                }

                var (x, y) = _layout.GeoTransform.PixelCenterToWorld(row, col);
                resolved = new ResolvedQuery(query.Kind, pixel, row, col, y, x);
                break;

            default:
                throw new ViewportSearchException(ViewportSearchErrorKind.InvalidRequest, $"Unknown query kind {query.Kind}.", "query");
        }

        return new PreparedQuery(resolved, vector, new ScoringQuery(vector, metric, _matrix, _normalizeRows));
    }

    private (long Pixel, float Score)[] FaissTopK(PreparedQuery prepared, int k, int nprobe)
    {
        var candidates = (int)Math.Min((long)k * _options.TopKCandidateFactor, Math.Max(1, _index!.Count));
        var hits = _index.Search(prepared.Vector, candidates, nprobe);
        var heap = new TopScoreHeap(k, prepared.Scoring.HigherIsBetter);
        Span<float> score = stackalloc float[1];
        foreach (var hit in hits)
        {
            if (hit.Label < 0 || hit.Label >= PixelCount)
            {
                continue;
            }

            prepared.Scoring.ScoreRows(_matrix, hit.Label, score);
            if (!float.IsNaN(score[0]))
            {
                heap.Offer(hit.Label, score[0]);
            }
        }

        return heap.ToSortedArray();
    }

    private (long Total, (long Pixel, float Score)[] Matches) RangeCandidates(PreparedQuery prepared, float threshold, int limit, int nprobe, CancellationToken cancellationToken)
    {
        var index = _index!;
        var slack = _options.RangeSearchSlack;
        var cosine = prepared.Scoring.Metric == SimilarityMetric.Cosine;
        float radius;
        if (index.Metric == VectorMetric.InnerProduct && _layout.Normalized)
        {
            // Unit vectors: inner product = cosine = 1 − d²/2. FAISS keeps IP > radius.
            radius = (cosine ? threshold : 1f - (threshold * threshold / 2f)) - slack;
        }
        else if (index.Metric == VectorMetric.L2 && (_layout.Normalized || !cosine))
        {
            // FAISS keeps squared distances < radius.
            var distance = cosine ? MathF.Sqrt(MathF.Max(0f, 2f - (2f * threshold))) : threshold;
            radius = (distance + slack) * (distance + slack);
        }
        else
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.StrategyUnavailable,
                $"Viewport '{ViewportId}''s {index.Metric} index over unnormalised vectors cannot express a {prepared.Scoring.Metric} threshold; use the exact scan.",
                "strategy");
        }

        var found = index.RangeSearch(prepared.Vector, radius, nprobe);
        var factor = Math.Max(1, _layout.SamplingFactor);
        var blocksPerRow = (Width + factor - 1) / factor;
        var blocks = new HashSet<long>();
        foreach (var label in found.Labels)
        {
            if (label >= 0 && label < PixelCount)
            {
                blocks.Add(((label / Width / factor) * blocksPerRow) + (label % Width / factor));
            }
        }

        var heap = new TopScoreHeap(limit, prepared.Scoring.HigherIsBetter);
        long total = 0;
        Span<float> scores = stackalloc float[factor];
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row0 = (int)(block / blocksPerRow) * factor;
            var col0 = (int)(block % blocksPerRow) * factor;
            var cols = Math.Min(factor, Width - col0);
            for (var row = row0; row < Math.Min(row0 + factor, Height); row++)
            {
                var first = ((long)row * Width) + col0;
                prepared.Scoring.ScoreRows(_matrix, first, scores[..cols]);
                for (var c = 0; c < cols; c++)
                {
                    if (prepared.Scoring.Passes(scores[c], threshold))
                    {
                        total++;
                        heap.Offer(first + c, scores[c]);
                    }
                }
            }
        }

        return (total, heap.ToSortedArray());
    }

    private (ScoreDistribution Distribution, float? Cutoff) Distribution(ScoringQuery scoring, ReadOnlySpan<double> topPercent, CancellationToken cancellationToken)
    {
        var n = checked((int)PixelCount);
        var scores = ArrayPool<float>.Shared.Rent(n);
        try
        {
            ExactScanner.ComputeScores(_matrix, scoring, scores, _options.MaxDegreeOfParallelism, cancellationToken);

            // Drop the pixels without data (NaN), keeping the rest for the order statistics.
            var valid = 0;
            for (var i = 0; i < n; i++)
            {
                var s = scores[i];
                if (!float.IsNaN(s))
                {
                    scores[valid++] = s;
                }
            }

            if (valid == 0)
            {
                throw new ViewportSearchException(ViewportSearchErrorKind.InvalidViewport, $"Viewport '{ViewportId}' has no pixel with data.");
            }

            var values = scores.AsSpan(0, valid);
            float? cutoff = null;
            if (topPercent.Length == 1)
            {
                // The cutoff is the score of the last pixel inside the top P percent.
                var wanted = Math.Clamp((long)Math.Ceiling(topPercent[0] / 100.0 * valid), 1, valid);
                var rank = scoring.HigherIsBetter ? valid - wanted : wanted - 1;
                cutoff = OrderStatistics.Select(values, [rank])[0];
            }

            var percentiles = OrderStatistics.Percentiles(values, ScoreDistribution.Percents);
            return (ScoreDistribution.FromPercentiles(valid, percentiles), cutoff);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private SimilarityHeatmap RenderHeatmapCore(ScoringQuery scoring, int maxSize, CancellationToken cancellationToken)
    {
        var factor = Math.Max(1, (Math.Max(Width, Height) + maxSize - 1) / maxSize);
        var outWidth = (Width + factor - 1) / factor;
        var outHeight = (Height + factor - 1) / factor;
        var cells = new float[outWidth * outHeight];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism };
        Parallel.For(0, outHeight, options, () => new float[factor * Width], (outRow, _, rowScores) =>
        {
            var row0 = outRow * factor;
            var rows = Math.Min(factor, Height - row0);
            var span = rowScores.AsSpan(0, rows * Width);
            scoring.ScoreRows(_matrix, (long)row0 * Width, span);
            for (var oc = 0; oc < outWidth; oc++)
            {
                var best = float.NaN;
                var col0 = oc * factor;
                var cols = Math.Min(factor, Width - col0);
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < cols; c++)
                    {
                        var s = span[(r * Width) + col0 + c];
                        if (!float.IsNaN(s) && (float.IsNaN(best) || (scoring.HigherIsBetter ? s > best : s < best)))
                        {
                            best = s;
                        }
                    }
                }

                cells[(outRow * outWidth) + oc] = best;
            }

            return rowScores;
        },
        _ => { });

        float low = float.PositiveInfinity, high = float.NegativeInfinity;
        foreach (var s in cells)
        {
            if (!float.IsNaN(s))
            {
                low = MathF.Min(low, s);
                high = MathF.Max(high, s);
            }
        }

        if (float.IsInfinity(low))
        {
            low = high = 0;
        }

        var pixels = new byte[cells.Length * 3];
        var range = high - low;
        for (var i = 0; i < cells.Length; i++)
        {
            var s = cells[i];
            var t = float.IsNaN(s) ? float.NaN : range > 0 ? (s - low) / range : 1f;
            if (!scoring.HigherIsBetter && !float.IsNaN(t))
            {
                t = 1f - t;
            }

            var (r, g, b) = ColorRamp.Viridis(t);
            pixels[i * 3] = r;
            pixels[(i * 3) + 1] = g;
            pixels[(i * 3) + 2] = b;
        }

        // Low/High name the scores at the ramp's ends: least similar first.
        var (rampLow, rampHigh) = scoring.HigherIsBetter ? (low, high) : (high, low);
        return new SimilarityHeatmap(new RgbImage(outWidth, outHeight, pixels), factor, rampLow, rampHigh, scoring.Metric);
    }

    private void CheckPixel(int row, int col)
    {
        if (row < 0 || row >= Height || col < 0 || col >= Width)
        {
            throw new ViewportSearchException(
                ViewportSearchErrorKind.OutsideMosaic,
                $"Pixel ({row}, {col}) lies outside viewport '{ViewportId}' ({Height} rows × {Width} columns).",
                row < 0 || row >= Height ? "row" : "col");
        }
    }

    private static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    private void Enter()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                throw new ObjectDisposedException(nameof(ViewportSearcher), $"Viewport '{ViewportId}' was closed.");
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return;
            }
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _index?.Dispose();
            _matrixOwner.Dispose();
            _logger.LogDebug("Closed viewport {ViewportId}", ViewportId);
        }
    }

    private sealed record PreparedQuery(ResolvedQuery Resolved, float[] Vector, ScoringQuery Scoring);
}
