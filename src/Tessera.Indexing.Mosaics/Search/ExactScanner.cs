using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The exact scan: every row of the matrix scored against one or several queries, in parallel over
/// chunks of rows. A batch reads each chunk once and scores it against every query while it is in
/// cache. Per worker a bounded heap keeps the best <c>limit</c> passing rows while all are counted,
/// so a loose threshold costs O(limit × workers) memory, never O(matches).
/// </summary>
/// <remarks>
/// Each chunk is scored first by the fast approximate kernels (integer dot products for uint8 rows,
/// one FMA stream for float32 rows, with the stored norms), which give per row an interval certain to
/// hold the exact score (<see cref="ScoringQuery.ScoreBounds"/>). A row is rescored exactly only when
/// the interval straddles the threshold, or when it passes and could still enter the bounded heap;
/// every other row is decided by its interval. Match counts, match sets and scores are therefore
/// those of scoring every row exactly.
/// </remarks>
internal static unsafe partial class ExactScanner
{
    /// <summary>Rows per work item: 2048 rows of 128 float32 are 1 MiB, which stays in L2 across a batch.</summary>
    public const int ChunkRows = 2048;

    /// <summary>Finds, for each query, every row passing its threshold (NaN threshold: every row with data).</summary>
    /// <param name="matrix">The rows.</param>
    /// <param name="queries">The queries.</param>
    /// <param name="thresholds">One threshold per query (NaN: every row with data passes).</param>
    /// <param name="limit">Matches kept per query, best first.</param>
    /// <param name="maxDegreeOfParallelism">Workers.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <param name="storedDots">The one query's approximate dot products of every row, already computed (a <see cref="RankPass"/>): the scan then reads the matrix only for the rows it rescores.</param>
    public static ScanOutcome[] Scan(
        EmbeddingMatrix matrix,
        IReadOnlyList<ScoringQuery> queries,
        IReadOnlyList<float> thresholds,
        int limit,
        int maxDegreeOfParallelism,
        CancellationToken cancellationToken,
        float* storedDots = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (queries.Count != thresholds.Count)
        {
            throw new ArgumentException("One threshold per query is needed.", nameof(thresholds));
        }

        var queryCount = queries.Count;
        if (queryCount == 0)
        {
            return [];
        }

        if (storedDots != null && queryCount != 1)
        {
            throw new ArgumentException("Stored dot products belong to one query.", nameof(storedDots));
        }

        var totals = new long[queryCount];
        var merged = new TopScoreHeap[queryCount];
        for (var q = 0; q < queryCount; q++)
        {
            merged[q] = new TopScoreHeap(limit, queries[q].HigherIsBetter);
        }

        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        ForEachChunk(
            matrix.Rows,
            ChunkRows,
            options,
            () => new WorkerState(queries, limit),
            (first, count, state) =>
            {
                var norms = state.RowNorms(matrix, queries[0], first, count);
                for (var q = 0; q < queryCount; q++)
                {
                    fixed (float* own = state.Dots)
                    fixed (int* integers = state.Integers)
                    {
                        var dots = storedDots != null ? storedDots + first : own;
                        var query = queries[q];
                        if (storedDots == null)
                        {
                            query = state.Refine[q] ? query.Refined : query;
                            query.ApproximateDots(matrix, first, count, dots, integers);
                        }

                        var rescored = 0;
                        state.Totals[q] += ScanChunk(matrix, query, thresholds[q], state.Heaps[q], first, count, norms, dots, ref rescored);
                        state.Adapt(q, rescored, count);
                    }
                }

                return state;
            },
            state =>
            {
                for (var q = 0; q < queryCount; q++)
                {
                    totals[q] += state.Totals[q];
                    merged[q].MergeFrom(state.Heaps[q]);
                }
            });

        var outcomes = new ScanOutcome[queryCount];
        for (var q = 0; q < queryCount; q++)
        {
            outcomes[q] = new ScanOutcome(totals[q], merged[q].ToSortedArray());
        }

        return outcomes;
    }

    /// <summary>
    /// Runs <paramref name="body"/> over consecutive chunks of <paramref name="chunkRows"/> rows (the last
    /// one shorter) in parallel. Each worker starts from <paramref name="init"/>'s state and carries it from
    /// chunk to chunk; <paramref name="merge"/> takes each worker's final state, one at a time.
    /// </summary>
    /// <typeparam name="TLocal">A worker's state.</typeparam>
    /// <param name="rows">Rows in all.</param>
    /// <param name="chunkRows">Rows per chunk.</param>
    /// <param name="options">Workers and cancellation.</param>
    /// <param name="init">A new worker's state.</param>
    /// <param name="body">Processes rows <c>first … first + count − 1</c>; returns the worker's state.</param>
    /// <param name="merge">Folds a finished worker's state into the result (called under a lock).</param>
    internal static void ForEachChunk<TLocal>(long rows, int chunkRows, ParallelOptions options, Func<TLocal> init, Func<long, int, TLocal, TLocal> body, Action<TLocal> merge)
    {
        var gate = new object();
        Parallel.For(
            0,
            checked((int)((rows + chunkRows - 1) / chunkRows)),
            options,
            init,
            (chunk, _, local) =>
            {
                var first = (long)chunk * chunkRows;
                return body(first, (int)Math.Min(chunkRows, rows - first), local);
            },
            local =>
            {
                lock (gate)
                {
                    merge(local);
                }
            });
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

    /// <summary>Scores one chunk for one query; returns how many rows pass (every row with data for a NaN threshold).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ScanChunk(in EmbeddingMatrix matrix, ScoringQuery query, float threshold, TopScoreHeap heap, long first, int count, float* norms, float* dots, ref int rescored)
    {
        var all = float.IsNaN(threshold);
        long passed = 0;

        // The cheap test rejects rows that fail the threshold (or, for a full heap, its worst
        // kept score) whatever their exact score; the rest go through the full bounds.
        var heapWorst = heap.WorstKeptScore;
        var cutoff = query.FailCutoff(all ? heapWorst : threshold);
        var filter = !double.IsNaN(cutoff);

        // With a threshold and a full heap: a row that surely passes and surely cannot enter the
        // heap is only counted.
        var passCutoff = all ? double.NaN : query.PassCutoff(threshold);
        var heapCutoff = all ? double.NaN : query.FailCutoff(heapWorst);
        var countOnly = !double.IsNaN(passCutoff) && !double.IsNaN(heapCutoff);

        // Threshold scans of cosine-based scores first test eight rows at a time in float:
        // lhs = a + 2⁻²²|a| and rhs = n·fl(cutoff) − 2⁻²¹|n·fl(cutoff)| bound a + 2⁻²³|a| from above
        // and n·cutoff from below whatever the float rounding (each operation errs by at most 2⁻²⁴
        // relative), so lhs < rhs implies SurelyFails; rows without data (n = 0) are skipped too.
        // With a full heap the mirror test, a − 2⁻²²|a| > n·fl(passCutoff) + 2⁻²¹|n·fl(passCutoff)|,
        // implies SurelyPasses; a block whose rows all surely fail, or surely pass without entering
        // the heap, is only counted (dense thresholds, where most blocks mix the two).
        var blocks = !all && filter && query.FailTestIsLinear && Vector256.IsHardwareAccelerated;
        var cutoff8 = Vector256.Create((float)cutoff);
        var pass8 = Vector256.Create((float)passCutoff);
        for (var i = 0; i < count; i++)
        {
            if (blocks && (i & 7) == 0 && i + 8 <= count)
            {
                var a = Vector256.Load(dots + i);
                var n = Vector256.Load(norms + i);
                var rhs = n * cutoff8;
                var lhs = a + (Vector256.Abs(a) * MathF.ScaleB(1f, -22));
                rhs -= Vector256.Abs(rhs) * MathF.ScaleB(1f, -21);
                var noData = Vector256.Equals(n, Vector256<float>.Zero);
                var skipped = (Vector256.LessThan(lhs, rhs) | noData).ExtractMostSignificantBits();
                if (skipped == 0xFFu)
                {
                    i += 7;
                    continue;
                }

                if (countOnly)
                {
                    var passRhs = n * pass8;
                    passRhs += Vector256.Abs(passRhs) * MathF.ScaleB(1f, -21);
                    var heapRhs = n * Vector256.Create((float)heapCutoff);
                    heapRhs -= Vector256.Abs(heapRhs) * MathF.ScaleB(1f, -21);
                    var passes = Vector256.GreaterThan(a - (Vector256.Abs(a) * MathF.ScaleB(1f, -22)), passRhs);
                    var counted = (passes & Vector256.LessThan(lhs, heapRhs) & ~noData).ExtractMostSignificantBits() & ~skipped;
                    if ((skipped | counted) == 0xFFu)
                    {
                        passed += System.Numerics.BitOperations.PopCount(counted);
                        i += 7;
                        continue;
                    }
                }
            }

            var norm = norms[i];
            if (norm == 0f)
            {
                continue; // no data
            }

            if (filter && query.SurelyFails(cutoff, dots[i], norm))
            {
                if (all)
                {
                    passed++; // every row with data counts; this one cannot enter the heap
                }

                continue;
            }

            if (countOnly && query.SurelyFails(heapCutoff, dots[i], norm) && query.SurelyPasses(passCutoff, dots[i], norm))
            {
                passed++;
                continue;
            }

            var (worst, best) = query.ScoreBounds(dots[i], norm);
            if (!all && !query.Passes(best, threshold))
            {
                continue; // fails whatever the exact score
            }

            if ((all || query.Passes(worst, threshold)) && heap.RejectsOutright(best))
            {
                passed++; // passes, and the heap would not keep it even at its best
                continue;
            }

            var row = first + i;
            var score = query.ExactScore(matrix, matrix.RowPointer(row), norm);
            rescored++;
            if (all || query.Passes(score, threshold))
            {
                passed++;
                if (!heap.RejectsOutright(score) && heap.Offer(row, score))
                {
                    var kept = heap.WorstKeptScore;
                    if (!float.IsNaN(kept) && !kept.Equals(heapWorst))
                    {
                        heapWorst = kept;
                        if (all)
                        {
                            cutoff = query.FailCutoff(heapWorst);
                            filter = !double.IsNaN(cutoff);
                        }
                        else
                        {
                            heapCutoff = query.FailCutoff(heapWorst);
                            countOnly = !double.IsNaN(passCutoff) && !double.IsNaN(heapCutoff);
                        }
                    }
                }
            }
        }

        return passed;
    }

    private sealed class WorkerState
    {
        private readonly int[] _chunks;

        public WorkerState(IReadOnlyList<ScoringQuery> queries, int limit)
        {
            Dots = new float[ChunkRows];
            Integers = new int[2 * ChunkRows];
            Norms = GC.AllocateArray<float>(ChunkRows, pinned: true);
            Totals = new long[queries.Count];
            Refine = new bool[queries.Count];
            _chunks = new int[queries.Count];
            Heaps = new TopScoreHeap[queries.Count];
            for (var q = 0; q < queries.Count; q++)
            {
                Heaps[q] = new TopScoreHeap(limit, queries[q].HigherIsBetter);
            }
        }

        public float[] Dots { get; }

        public int[] Integers { get; }

        public float[] Norms { get; }

        /// <summary>The chunk's row norms: the stored ones, or computed into this worker's buffer.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public float* RowNorms(in EmbeddingMatrix matrix, ScoringQuery query, long first, int count)
        {
            if (matrix.Norms != null)
            {
                return matrix.Norms + first;
            }

            // A pinned array: its address stays valid for as long as the worker holds it.
            var norms = (float*)Unsafe.AsPointer(ref Norms[0]);
            query.RowNorms(matrix, first, count, norms);
            return norms;
        }

        public long[] Totals { get; }

        /// <summary>Per query, whether this worker's next chunk uses the <see cref="ScoringQuery.Refined"/> approximate pass.</summary>
        public bool[] Refine { get; }

        /// <summary>
        /// Chooses the next chunk's approximate pass: the refined one (two int8 codes for uint8 rows,
        /// bounds about 127 times tighter, a few µs more per chunk) once a chunk rescored more than
        /// 1/64 of its rows (a threshold through a dense score region, where each rescoring costs far
        /// more); every 32nd refined chunk tries the single code again.
        /// </summary>
        public void Adapt(int query, int rescored, int rows)
        {
            if (rescored * 64 > rows)
            {
                Refine[query] = true;
            }
            else if (Refine[query] && ++_chunks[query] % 32 == 0)
            {
                Refine[query] = false;
            }
        }

        public TopScoreHeap[] Heaps { get; }
    }
}
