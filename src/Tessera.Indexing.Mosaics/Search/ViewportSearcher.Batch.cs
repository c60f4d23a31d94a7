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

            if (request.Mode == SearchMode.TopPercent)
            {
                // The exact scan at the cutoff runs from the same pass as the order statistics.
                var exactScan = strategy == SearchStrategy.ExactScan;
                var (distribution, cutoff, outcome) = _exact.Distribution(prepared[i].Scoring, request.TopPercent, exactScan ? request.Limit : null, cancellationToken);
                distributions[i] = distribution;
                thresholds[i] = cutoff;
                if (outcome is not null)
                {
                    results[i] = Result(request, prepared[i], strategy, true, outcome.Total, cutoff, outcome.Matches, distribution, started[i]);
                    continue;
                }
            }
            else if (request.IncludeDistribution)
            {
                distributions[i] = _exact.Distribution(prepared[i].Scoring, null, null, cancellationToken).Distribution;
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
                limit = Math.Max(limit, requests[i].Mode == SearchMode.TopK ? requests[i].K : requests[i].Limit);
            }

            var outcomes = _exact.Scan(queries, scanThresholds, limit, cancellationToken);
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
