using System.Buffers;
using System.Runtime.InteropServices;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The approximate pass of a top-percent search or a score distribution: one read of the matrix, at
/// memory bandwidth, that keeps every row's approximate dot product (<see cref="ScoringQuery.Refined"/>)
/// and, for a viewport without <c>all_norms.npy</c>, its norm. The order statistics
/// (<see cref="ExactScanner.SelectRanks(RankPass, Func{long, long[]}, ParallelOptions, double)"/>) and the
/// top-percent threshold scan (<see cref="Scan"/>) then read the matrix only for the rows they rescore.
/// </summary>
/// <remarks>
/// Holds 4 bytes a row (8 without stored norms) until disposed, in arrays rented from the shared pool
/// (as the every-row-exact path rents its scores) and pinned: later queries reuse them instead of
/// faulting in fresh pages.
/// </remarks>
internal sealed unsafe class RankPass : IDisposable
{
    private readonly Pinned _dots;
    private readonly Pinned? _ownedNorms;

    private RankPass(EmbeddingMatrix matrix, ScoringQuery query)
    {
        Query = query.Refined;
        var rows = checked((int)Math.Max(1, matrix.Rows));
        _dots = new Pinned(rows);
        if (matrix.Norms == null)
        {
            _ownedNorms = new Pinned(rows);
            matrix = matrix.WithNorms(_ownedNorms.Pointer);
        }

        Matrix = matrix;
    }

    /// <summary>The rows, with their norms (stored or computed by the pass).</summary>
    public EmbeddingMatrix Matrix { get; }

    /// <summary>The query the dot products belong to (the <see cref="ScoringQuery.Refined"/> one).</summary>
    public ScoringQuery Query { get; }

    /// <summary>Rows with data and the range of their keys.</summary>
    public RankKeyStats Stats { get; private set; }

    /// <summary>Reads every row once: approximate dot products, norms when the viewport has none, key statistics.</summary>
    public static RankPass Run(EmbeddingMatrix matrix, ScoringQuery query, ParallelOptions options)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pass = new RankPass(matrix, query);
        try
        {
            pass.Fill(options);
            return pass;
        }
        catch
        {
            pass.Dispose();
            throw;
        }
    }

    /// <summary>The keys of <paramref name="count"/> rows from <paramref name="first"/> into <paramref name="keys"/>.</summary>
    public void Keys(long first, int count, float* keys)
    {
        var ignored = RankKeyStats.Empty;
        Query.RankKeys(count, _dots.Pointer + first, Matrix.Norms + first, keys, ref ignored);
    }

    /// <summary>The exact score of one row.</summary>
    public float ExactScore(long row) => Query.ExactScore(Matrix, Matrix.RowPointer(row), Matrix.Norms[row]);

    /// <summary>
    /// The threshold scan of <see cref="ExactScanner.Scan"/> from the stored dot products: the same total
    /// and matches, reading the matrix only for the rows the bounds cannot decide.
    /// </summary>
    public ScanOutcome Scan(float threshold, int limit, ParallelOptions options) =>
        ExactScanner.Scan(Matrix, [Query], [threshold], limit, options.MaxDegreeOfParallelism, options.CancellationToken, _dots.Pointer)[0];

    /// <inheritdoc />
    public void Dispose()
    {
        _dots.Dispose();
        _ownedNorms?.Dispose();
    }

    private void Fill(ParallelOptions options)
    {
        var computeNorms = _ownedNorms is not null;
        var matrix = Matrix;
        var query = Query;
        var dots = _dots.Pointer;
        var total = RankKeyStats.Empty;
        ExactScanner.ForEachChunk(
            matrix.Rows,
            ExactScanner.ChunkRows,
            options,
            () => (Integers: new int[2 * ExactScanner.ChunkRows], Keys: new float[ExactScanner.ChunkRows], Stats: RankKeyStats.Empty),
            (first, count, local) =>
            {
                var norms = matrix.Norms + first;
                if (computeNorms)
                {
                    query.RowNorms(matrix, first, count, norms);
                }

                fixed (int* integers = local.Integers)
                fixed (float* keys = local.Keys)
                {
                    query.ApproximateDots(matrix, first, count, dots + first, integers);
                    query.RankKeys(count, dots + first, norms, keys, ref local.Stats);
                }

                return local;
            },
            local => total.Merge(local.Stats));
        Stats = total;
    }

    /// <summary>A float array rented from the shared pool and pinned until disposed.</summary>
    private sealed class Pinned : IDisposable
    {
        private float[]? _array;
        private GCHandle _handle;

        public Pinned(int length)
        {
            _array = ArrayPool<float>.Shared.Rent(length);
            _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
            Pointer = (float*)_handle.AddrOfPinnedObject();
        }

        public float* Pointer { get; private set; }

        public void Dispose()
        {
            if (_array is null)
            {
                return;
            }

            _handle.Free();
            ArrayPool<float>.Shared.Return(_array);
            _array = null;
            Pointer = null;
        }
    }
}
