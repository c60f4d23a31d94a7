using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Benchmarks.Search;

/// <summary>
/// First versus later search on a real viewport folder (<c>TESSERA_BENCH_VIEWPORT</c>, for example one
/// made by <c>tessera demo</c>): opening the folder and answering one exact threshold search, as a
/// fresh process or a fresh <see cref="ViewportSearcherPool"/> entry does, against the same search on a
/// searcher kept open (what the pool gives every later request). The folder stays in the page cache
/// in both cases; the difference is opening, mapping and faulting the pages in.
/// </summary>
public class ViewportReuseBenchmarks
{
    private ViewportSearcher? _open;
    private SimilaritySearchRequest? _request;

    /// <summary>The viewport folder.</summary>
    public static string Folder => Environment.GetEnvironmentVariable("TESSERA_BENCH_VIEWPORT") ?? "/tmp/perf/viewport";

    [GlobalSetup]
    public void Setup()
    {
        _open = ViewportSearcher.Open(Folder);
        var row = _open.Height / 2;
        var col = _open.Width / 2;
        _request = new SimilaritySearchRequest(ViewportQuery.AtPixel(row, col)) { Threshold = 0.98f, Limit = 1000 };
        _open.Search(_request);
    }

    [GlobalCleanup]
    public void Cleanup() => _open?.Dispose();

    /// <summary>Open the folder, search once, close: every search of a fresh process (the CLI) is this.</summary>
    [Benchmark(Baseline = true)]
    public long OpenAndFirstSearch()
    {
        using var searcher = ViewportSearcher.Open(Folder);
        return searcher.Search(_request!).Total;
    }

    /// <summary>A later search on a searcher kept open, as the server's pool does.</summary>
    [Benchmark]
    public long LaterSearch() => _open!.Search(_request!).Total;
}
