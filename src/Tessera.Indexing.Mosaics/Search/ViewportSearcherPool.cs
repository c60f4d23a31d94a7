using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// Opens each viewport under an indices root once and shares the searcher between callers. A
/// viewport rebuilt on disk (its <c>metadata.json</c> changed) is reopened on the next request; the
/// old searcher is closed once its running searches end. Thread-safe.
/// </summary>
/// <remarks>
/// A searcher stays open, its embeddings and norms memory-mapped, across requests: only the first
/// search after opening pays for faulting the mapped pages in. Each searcher logs its searches as
/// "first" or "later" with their elapsed time, and the pool logs how long each open took, so the
/// two latencies can be told apart (figures in <c>docs/search.md</c>).
/// </remarks>
public sealed class ViewportSearcherPool : IDisposable
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ViewportSearcherOptions? _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IVectorIndexBuilder _indexBuilder;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Creates a pool over <paramref name="indicesRoot"/>.</summary>
    /// <param name="indicesRoot">The folder holding one folder per viewport.</param>
    /// <param name="options">Options of every searcher.</param>
    /// <param name="loggerFactory">Loggers for the searchers.</param>
    /// <param name="indexBuilder">Loads each viewport's index file (the registered <see cref="IVectorIndexBuilder"/>); default <see cref="FaissIndexBuilder"/>.</param>
    public ViewportSearcherPool(string indicesRoot, ViewportSearcherOptions? options = null, ILoggerFactory? loggerFactory = null, IVectorIndexBuilder? indexBuilder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(indicesRoot);
        IndicesRoot = Path.GetFullPath(indicesRoot);
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ViewportSearcherPool>();
        _indexBuilder = indexBuilder ?? new FaissIndexBuilder();
    }

    /// <summary>The root folder.</summary>
    public string IndicesRoot { get; }

    /// <summary>Whether <paramref name="viewportId"/> names a viewport folder with metadata under the root (invalid ids never do).</summary>
    /// <param name="viewportId">The id.</param>
    /// <returns>Whether it exists.</returns>
    public bool Exists(string viewportId) =>
        MosaicLayout.IsValidViewportId(viewportId, out _) && File.Exists(Path.Combine(IndicesRoot, viewportId, MosaicLayout.MetadataFileName));

    /// <summary>The viewports under the root, by id.</summary>
    /// <returns>The ids, sorted.</returns>
    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(IndicesRoot))
        {
            return [];
        }

        return Directory.EnumerateDirectories(IndicesRoot)
            .Select(Path.GetFileName)
            .Where(id => id is not null && Exists(id))
            .Select(id => id!)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The searcher of a viewport, opened on first use (do not dispose it).</summary>
    /// <param name="viewportId">The viewport id (validated: no separators, no <c>..</c>).</param>
    /// <returns>The searcher.</returns>
    /// <exception cref="ViewportSearchException">The id is invalid or no such viewport exists (<see cref="ViewportSearchErrorKind.ViewportNotFound"/>), or its files are inconsistent.</exception>
    public ViewportSearcher Get(string viewportId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!Exists(viewportId))
        {
            throw new ViewportSearchException(ViewportSearchErrorKind.ViewportNotFound, $"No viewport '{viewportId}'.", "viewport_id");
        }

        var directory = Path.Combine(IndicesRoot, viewportId);
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(directory, MosaicLayout.MetadataFileName));
        var entry = _entries.GetOrAdd(viewportId, _ => new Entry());
        lock (entry)
        {
            if (entry.Searcher is null || entry.Stamp != stamp)
            {
                var old = entry.Searcher;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                entry.Searcher = ViewportSearcher.Open(directory, _indexBuilder, _options, _loggerFactory.CreateLogger<ViewportSearcher>());
                entry.Stamp = stamp;
                _logger.LogInformation(
                    "Opened viewport {ViewportId} in {ElapsedMs:F1} ms ({Reason})",
                    viewportId,
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    old is null ? "first use" : "rebuilt on disk");
                old?.Dispose();
            }

            return entry.Searcher;
        }
    }

    /// <summary>Closes a viewport's searcher (it reopens on the next <see cref="Get"/>).</summary>
    /// <param name="viewportId">The viewport.</param>
    public void Invalidate(string viewportId)
    {
        if (_entries.TryRemove(viewportId, out var entry))
        {
            lock (entry)
            {
                entry.Searcher?.Dispose();
                entry.Searcher = null;
            }
        }
    }

    /// <summary>Closes every searcher.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var id in _entries.Keys)
        {
            Invalidate(id);
        }
    }

    private sealed class Entry
    {
        public ViewportSearcher? Searcher { get; set; }

        public DateTime Stamp { get; set; }
    }
}
