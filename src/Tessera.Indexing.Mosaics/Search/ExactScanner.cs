namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The exact scan: every row of the matrix scored against one or several queries, in parallel over
/// chunks of rows. A batch reads each chunk once and scores it against every query while it is in
/// cache. Per worker a bounded heap keeps the best <c>limit</c> passing rows while all are counted,
/// so a loose threshold costs O(limit × workers) memory, never O(matches).
/// </summary>
internal static class ExactScanner
{
    /// <summary>Rows per work item: 2048 rows of 128 float32 are 1 MiB, which stays in L2 across a batch.</summary>
    public const int ChunkRows = 2048;

    /// <summary>Finds, for each query, every row passing its threshold (NaN threshold: every row with data).</summary>
    public static ScanOutcome[] Scan(
        EmbeddingMatrix matrix,
        IReadOnlyList<ScoringQuery> queries,
        IReadOnlyList<float> thresholds,
        int limit,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (queries.Count != thresholds.Count)
        {
            throw new ArgumentException("One threshold per query is needed.", nameof(thresholds));
        }

        var queryCount = queries.Count;
        var totals = new long[queryCount];
        var merged = new TopScoreHeap[queryCount];
        for (var q = 0; q < queryCount; q++)
        {
            merged[q] = new TopScoreHeap(limit, queries[q].HigherIsBetter);
        }

        var chunks = (int)((matrix.Rows + ChunkRows - 1) / ChunkRows);
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var gate = new object();
        Parallel.For(
            0,
            chunks,
            options,
            () => new WorkerState(queries, limit),
            (chunk, _, state) =>
            {
                var first = (long)chunk * ChunkRows;
                var count = (int)Math.Min(ChunkRows, matrix.Rows - first);
                var scores = state.Scores.AsSpan(0, count);
                for (var q = 0; q < queryCount; q++)
                {
                    var query = queries[q];
                    query.ScoreRows(matrix, first, scores);
                    var threshold = thresholds[q];
                    var heap = state.Heaps[q];
                    long passed = 0;
                    var all = float.IsNaN(threshold);
                    for (var i = 0; i < scores.Length; i++)
                    {
                        var score = scores[i];
                        if (float.IsNaN(score) || !(all || query.Passes(score, threshold)))
                        {
                            continue;
                        }

                        passed++;
                        if (!heap.RejectsOutright(score))
                        {
                            heap.Offer(first + i, score);
                        }
                    }

                    state.Totals[q] += passed;
                }

                return state;
            },
            state =>
            {
                lock (gate)
                {
                    for (var q = 0; q < queryCount; q++)
                    {
                        totals[q] += state.Totals[q];
                        merged[q].MergeFrom(state.Heaps[q]);
                    }
                }
            });

        var outcomes = new ScanOutcome[queryCount];
        for (var q = 0; q < queryCount; q++)
        {
            outcomes[q] = new ScanOutcome(totals[q], merged[q].ToSortedArray());
        }

        return outcomes;
    }

    /// <summary>Writes the score of every row (NaN for rows without data) into <paramref name="scores"/>.</summary>
    public static void ComputeScores(
        EmbeddingMatrix matrix,
        ScoringQuery query,
        float[] scores,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.LongLength < matrix.Rows)
        {
            throw new ArgumentException($"The score buffer needs {matrix.Rows} entries.", nameof(scores));
        }

        var chunks = (int)((matrix.Rows + ChunkRows - 1) / ChunkRows);
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, chunks, options, chunk =>
        {
            var first = (long)chunk * ChunkRows;
            var count = (int)Math.Min(ChunkRows, matrix.Rows - first);
            query.ScoreRows(matrix, first, scores.AsSpan((int)first, count));
        });
    }

    private sealed class WorkerState
    {
        public WorkerState(IReadOnlyList<ScoringQuery> queries, int limit)
        {
            Scores = new float[ChunkRows];
            Totals = new long[queries.Count];
            Heaps = new TopScoreHeap[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                Heaps[q] = new TopScoreHeap(limit, queries[q].HigherIsBetter);
            }
        }

        public float[] Scores { get; }

        public long[] Totals { get; }

        public TopScoreHeap[] Heaps { get; }
    }
}
