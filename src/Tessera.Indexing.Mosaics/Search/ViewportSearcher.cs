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
/// A search runs through named collaborators: <see cref="QueryResolver"/> turns the pixel, point or
/// vector into the query vector; <see cref="IndexSearch"/> answers top-k through the vector index
/// (per-query <c>nprobe</c>; candidates re-scored exactly) and range-search candidates;
/// <see cref="ExactSearch"/> scans every pixel for threshold and percent searches (by default: an
/// exact SIMD scan of the memory-mapped embeddings, parallel over cores, measured faster than
/// range-search candidates, see <c>docs/search.md</c>) and computes score distributions;
/// <see cref="HeatmapRenderer"/> and <see cref="PreviewRenderer"/> draw images. Scores are computed
/// on the vectors that were indexed: stored value × scale, unit-normalised when the metadata says
/// the index was. Pixels whose values are all zero are "no data": they never match and are left out
/// of distributions. Disposing while searches run is safe: the files are released when the last
/// search ends.
/// </remarks>
public sealed partial class ViewportSearcher : IDisposable
{
    private readonly ViewportLayout _layout;
    private readonly EmbeddingMatrix _matrix;
    private readonly IDisposable _matrixOwner;
    private readonly IVectorIndex? _index;
    private readonly ILogger _logger;
    private readonly RasterGeoreference _georeference;
    private readonly QueryResolver _queries;
    private readonly IndexSearch? _indexSearch;
    private readonly ExactSearch _exact;
    private readonly HeatmapRenderer _heatmaps;
    private readonly PreviewRenderer _previews;
    private readonly SearchLatencyLog _latency;
    private int _references = 1;
    private int _disposed;

    internal ViewportSearcher(
        ViewportLayout layout,
        EmbeddingMatrix matrix,
        IDisposable matrixOwner,
        IVectorIndex? index,
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
                $"Viewport '{layout.ViewportId}': the index is {index.Dimension}-d; the embeddings are {layout.Dimension}-d.");
        }

        _layout = layout;
        _matrix = matrix;
        _matrixOwner = matrixOwner;
        _index = index;
        _logger = logger ?? NullLogger.Instance;
        _georeference = RasterGeoreference.Create(layout.GeoTransform, layout.SpatialReference, options.CoordinateTransforms);
        _queries = new QueryResolver(layout, matrix, normalizeRows, _georeference);
        _indexSearch = index is null ? null : new IndexSearch(layout, matrix, index, options);
        _exact = new ExactSearch(layout, matrix, options);
        _heatmaps = new HeatmapRenderer(layout, matrix, options);
        _previews = new PreviewRenderer(layout, matrix);
        _latency = new SearchLatencyLog(layout.ViewportId, _logger);
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

    /// <summary>
    /// The pixel grid on the Earth: the geotransform, the CRS and the WGS84 latitude/longitude of
    /// world coordinates (through <see cref="ViewportSearcherOptions.CoordinateTransforms"/> unless
    /// the CRS is WGS84 geographic). <see cref="RasterGeoreference.HasLatLon"/> says whether
    /// latitude/longitude are available.
    /// </summary>
    public RasterGeoreference Georeference => _georeference;

    /// <summary>Whether the indexed vectors are unit-normalised.</summary>
    public bool Normalized => _layout.Normalized;

    /// <summary>Whether a vector index is loaded (top-k and range candidates need one).</summary>
    public bool HasIndex => _index is not null;

    /// <summary>The index's metric, or <see langword="null"/> without an index.</summary>
    public VectorMetric? IndexMetric => _index?.Metric;

    /// <summary>Vectors in the index (the sampled pixels), 0 without an index.</summary>
    public long IndexedCount => _index?.Count ?? 0;

    /// <summary>Whether the embeddings are stored as uint8 (else float32).</summary>
    public bool StoresBytes => _matrix.ElementType == EmbeddingElementType.UInt8;

    /// <summary>
    /// Opens a viewport folder written by the mosaic indexer: reads <c>metadata.json</c>,
    /// memory-maps <c>all_embeddings.npy</c> (float32 or uint8) and loads <c>embeddings.index</c>
    /// with a <see cref="FaissIndexBuilder"/>. A folder without an index file still answers exact
    /// scans (top-k through the index then reports <see cref="ViewportSearchErrorKind.StrategyUnavailable"/>).
    /// </summary>
    /// <param name="directory">The viewport folder, <c>{root}/{viewport_id}</c>.</param>
    /// <param name="options">Tuning; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Logger; none when <see langword="null"/>.</param>
    /// <returns>The searcher; dispose it to unmap the files.</returns>
    /// <exception cref="ViewportSearchException">The folder or its metadata/embeddings are missing (<see cref="ViewportSearchErrorKind.ViewportNotFound"/>) or inconsistent (<see cref="ViewportSearchErrorKind.InvalidViewport"/>).</exception>
    public static ViewportSearcher Open(string directory, ViewportSearcherOptions? options = null, ILogger<ViewportSearcher>? logger = null) =>
        Open(directory, new FaissIndexBuilder(), options, logger);

    /// <summary>Opens a viewport folder, loading <c>embeddings.index</c> with <paramref name="indexBuilder"/> (memory-mapped when <see cref="ViewportSearcherOptions.MemoryMapIndex"/> asks).</summary>
    /// <param name="directory">The viewport folder, <c>{root}/{viewport_id}</c>.</param>
    /// <param name="indexBuilder">Loads the index file (for example the registered <see cref="IVectorIndexBuilder"/>).</param>
    /// <param name="options">Tuning; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Logger; none when <see langword="null"/>.</param>
    /// <returns>The searcher; dispose it to unmap the files.</returns>
    /// <exception cref="ViewportSearchException">The folder or its metadata/embeddings are missing (<see cref="ViewportSearchErrorKind.ViewportNotFound"/>) or inconsistent (<see cref="ViewportSearchErrorKind.InvalidViewport"/>).</exception>
    public static ViewportSearcher Open(string directory, IVectorIndexBuilder indexBuilder, ViewportSearcherOptions? options = null, ILogger<ViewportSearcher>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(indexBuilder);
        options ??= new ViewportSearcherOptions();
        options.Validate();
        return ViewportFolder.Open(directory, indexBuilder, options, logger ?? (ILogger)NullLogger.Instance);
    }

    /// <summary>The WGS84 latitude/longitude of the centre of pixel (<paramref name="row"/>, <paramref name="col"/>), through the viewport's CRS.</summary>
    /// <param name="row">Row.</param>
    /// <param name="col">Column.</param>
    /// <returns>Latitude and longitude in degrees.</returns>
    /// <exception cref="ViewportSearchException">The pixel lies outside the mosaic, or the viewport has no latitude/longitude (<see cref="ViewportSearchErrorKind.CoordinatesUnavailable"/>).</exception>
    public (double Latitude, double Longitude) PixelCenter(int row, int col) => _queries.PixelCenter(row, col);

    /// <summary>The pixel whose footprint contains the WGS84 point (transformed into the viewport's CRS).</summary>
    /// <param name="latitude">WGS84 latitude.</param>
    /// <param name="longitude">WGS84 longitude.</param>
    /// <returns>Row and column.</returns>
    /// <exception cref="ViewportSearchException">The point lies outside the mosaic (<see cref="ViewportSearchErrorKind.OutsideMosaic"/>), or the viewport has no latitude/longitude (<see cref="ViewportSearchErrorKind.CoordinatesUnavailable"/>).</exception>
    public (int Row, int Col) PixelAt(double latitude, double longitude) => _queries.PixelAt(latitude, longitude);

    /// <summary>The indexed vector of a pixel (stored × scale; unit-normalised for a normalised viewport).</summary>
    /// <param name="row">Row.</param>
    /// <param name="col">Column.</param>
    /// <returns>A new array of <see cref="Dimension"/> values.</returns>
    public float[] GetIndexedVector(int row, int col) => WhileOpen(() => _queries.IndexedVector(row, col));

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

        return WhileOpen(() => _latency.Measure(requests.Count, () => SearchBatchCore(requests, cancellationToken)));
    }

    /// <summary>The distribution of <paramref name="query"/>'s scores over every pixel with data.</summary>
    /// <param name="query">The query.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>Min, percentiles and max.</returns>
    public ScoreDistribution GetScoreDistribution(ViewportQuery query, SimilarityMetric metric, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return WhileOpen(() => _exact.Distribution(_queries.Prepare(query, metric).Scoring, null, null, null, cancellationToken).Distribution);
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
        CheckImageSize(maxSize);
        return WhileOpen(() => _heatmaps.Render(_queries.Prepare(query, metric).Scoring, maxSize, cancellationToken));
    }

    /// <summary>
    /// Draws the viewport's embeddings as an RGB image at most <paramref name="maxSize"/> pixels on
    /// its longer side (a larger viewport is sampled every factor-th pixel): bands 1–3, or the first
    /// three principal components, each stretched between its 2nd and 98th percentile. Pixels
    /// without data are dark grey.
    /// </summary>
    /// <param name="mode">Bands 1–3 or PCA.</param>
    /// <param name="maxSize">Longest side of the image (16..8192).</param>
    /// <param name="cancellationToken">Stops the rendering between rows.</param>
    /// <returns>The image and the reduction factor.</returns>
    public (RgbImage Image, int Factor) RenderPreview(ViewportPreviewMode mode = ViewportPreviewMode.Bands123, int maxSize = 1024, CancellationToken cancellationToken = default)
    {
        CheckImageSize(maxSize);
        return WhileOpen(() => _previews.Render(mode, maxSize, cancellationToken));
    }

    /// <summary>Releases the index and the mapped embeddings (after the last running search).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Exit();
        }
    }

    private static void CheckImageSize(int maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSize, 16);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, 8192);
    }

    /// <summary>Runs <paramref name="work"/> while holding a reference, so a concurrent <see cref="Dispose"/> waits for it.</summary>
    private T WhileOpen<T>(Func<T> work)
    {
        Enter();
        try
        {
            return work();
        }
        finally
        {
            Exit();
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
            _georeference.Dispose();
            _logger.LogDebug("Closed viewport {ViewportId}", ViewportId);
        }
    }
}
