using System.Diagnostics;

namespace Tessera.Indexing.Mosaics.Search;

public partial class ViewportSearcher
{
    private IReadOnlyList<SimilaritySearchResult> SearchBatchCore(IReadOnlyList<SimilaritySearchRequest> requests, CancellationToken cancellationToken)
    {
        var count = requests.Count;
        var started = new long[count];
        var prepared = new PreparedQuery[count];
        var results = new SimilaritySearchResult[count];
        var distributions = new ScoreDistribution?[count];
        var thresholds = new float?[count];
        var scanIndexes = new List<int>();

        for (var i = 0; i < count; i++)
        {
            started[i] = Stopwatch.GetTimestamp();
            var request = requests[i];
            prepared[i] = _queries.Prepare(request.Query, request.Metric);
            var strategy = ChooseStrategy(request);
            thresholds[i] = request.Threshold;

            if (request.Mode == SearchMode.TopPercent || request.IncludeDistribution)
            {
                // The order statistics read every row once; an exact scan (at the given threshold, or a
                // top-percent search's cutoff) then runs from the dot products that pass kept.
                var exactScan = strategy == SearchStrategy.ExactScan;
                var (distribution, cutoff, outcome) = _exact.Distribution(prepared[i].Scoring, request.TopPercent, request.Threshold, exactScan ? request.MaxResults : null, cancellationToken);
                distributions[i] = distribution;
                thresholds[i] = cutoff ?? request.Threshold;
                if (outcome is not null)
                {
                    results[i] = ExactResult(request, prepared[i], outcome, thresholds[i], distribution, started[i]);
                    continue;
                }
            }

            switch (strategy)
            {
                case SearchStrategy.ExactScan:
                    scanIndexes.Add(i);
                    break;
                case SearchStrategy.FaissTopK:
                    var hits = _indexSearch!.TopK(prepared[i], request.K, request.NProbe);
                    results[i] = Result(request, prepared[i], strategy, false, hits.Length, null, hits, distributions[i], started[i]);
                    break;
                case SearchStrategy.FaissRangeCandidates:
                    var (total, matches) = _indexSearch!.RangeCandidates(prepared[i], request.Threshold!.Value, request.Limit, request.NProbe, cancellationToken);
                    results[i] = Result(request, prepared[i], strategy, false, total, request.Threshold, matches, distributions[i], started[i]);
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
                limit = Math.Max(limit, requests[i].MaxResults);
            }

            var outcomes = _exact.Scan(queries, scanThresholds, limit, cancellationToken);
            for (var j = 0; j < scanIndexes.Count; j++)
            {
                var i = scanIndexes[j];
                results[i] = ExactResult(requests[i], prepared[i], outcomes[j], thresholds[i], distributions[i], started[i]);
            }
        }

        return results;
    }

    /// <summary>A request's result from an exact scan that kept at least its own <see cref="SimilaritySearchRequest.MaxResults"/> best matches.</summary>
    private SimilaritySearchResult ExactResult(SimilaritySearchRequest request, PreparedQuery prepared, ScanOutcome outcome, float? threshold, ScoreDistribution? distribution, long started)
    {
        var matches = outcome.Matches.AsSpan(0, Math.Min(request.MaxResults, outcome.Matches.Length)).ToArray();
        var total = request.Mode == SearchMode.TopK ? matches.Length : outcome.Total;
        return Result(request, prepared, SearchStrategy.ExactScan, true, total, threshold, matches, distribution, started);
    }

    private SearchStrategy ChooseStrategy(SimilaritySearchRequest request)
    {
        var strategy = request.Strategy;
        if (strategy == SearchStrategy.Auto)
        {
            // Threshold and percent searches: the exact scan measured faster than range-search
            // candidates (docs/search.md) and is exact. Top-k: the index where one exists.
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
        var matches = _queries.ToMatches(hits);

        return new SimilaritySearchResult(prepared.Resolved, request.Metric, request.Mode, strategy, exact, total, threshold, matches, distribution, Stopwatch.GetElapsedTime(started));
    }
}
