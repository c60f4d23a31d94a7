using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Tests.Search;

/// <summary>
/// The order statistics behind a top-percent search and the score distribution (rank keys, a
/// histogram, exact rescoring of the rows in the bands) give the same values, bit for bit, as sorting
/// every exact score of the scalar reference, on every SIMD level and integer path this machine has:
/// tiny percents (one row), 100 %, cutoffs inside runs of tied scores, no-data rows and dense clusters.
/// </summary>
public sealed unsafe class TopPercentTests
{
    private const int Rows = 70_001; // more than one block of the passes over the stored bounds

    private static readonly double[] TopPercents = [1e-7, 0.5, 3, 50, 99.99, 100];

    public static TheoryData<int, int, bool, int> Paths()
    {
        var data = new TheoryData<int, int, bool, int>();
        foreach (var level in Simd.Available)
        {
            foreach (var bytes in new[] { false, true })
            {
                foreach (var d in new[] { 128, 37 })
                {
                    foreach (var path in bytes ? Simd.IntegerDotPaths : [IntegerDotPath.Scalar])
                    {
                        data.Add((int)level, (int)path, bytes, d);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Ranks_match_a_sort_of_every_exact_score(int level, int path, bool bytes, int d)
    {
        using var buffer = Build(bytes, d, seed: d + (bytes ? 3 : 0));
        using var norms = new NormsBuffer(buffer.Matrix);
        var queryVector = new float[d];
        buffer.Matrix.ReadVector(7, queryVector);
        foreach (var (metric, normalize) in new[] { (SimilarityMetric.Cosine, false), (SimilarityMetric.Euclidean, false), (SimilarityMetric.Euclidean, true) })
        {
            var reference = new ScoringQuery(queryVector, metric, buffer.Matrix, normalize, SimdLevel.Scalar, IntegerDotPath.Scalar);
            var exact = new float[Rows];
            reference.ScoreRows(buffer.Matrix, 0, exact);
            var sorted = exact.Where(s => !float.IsNaN(s)).ToArray();
            Array.Sort(sorted);

            foreach (var withNorms in new[] { false, true })
            {
                var matrix = withNorms ? norms.Matrix : buffer.Matrix;
                var fast = new ScoringQuery(queryVector, metric, matrix, normalize, (SimdLevel)level, (IntegerDotPath)path);
                foreach (var (percent, fallback) in TopPercents.Select(p => (p, 2.0)).Append((TopPercents[2], 0.0)))
                {
                    // Fallback fraction 2: the bounded passes, which must prove their values on this data
                    // (ties at the top, runs of equal rows); 0: every row exact, the former path.
                    var (valid, values, bounded) = ExactScanner.SelectRanks(matrix, fast, count => ExactSearch.Ranks(count, percent, fast.HigherIsBetter), 3, CancellationToken.None, fallback);
                    Assert.Equal(fallback > 1, bounded);
                    Assert.Equal(sorted.Length, valid);
                    var ranks = ExactSearch.Ranks(valid, percent, fast.HigherIsBetter);
                    Assert.Equal(ranks.Length, values.Length);
                    for (var j = 0; j < ranks.Length; j++)
                    {
                        Assert.Equal(BitConverter.SingleToInt32Bits(sorted[ranks[j]]), BitConverter.SingleToInt32Bits(values[j]));
                    }

                    // The cutoff's threshold scan keeps the same rows as the reference's, whether it reads
                    // the matrix or the rank pass's stored dot products (the top-percent search).
                    var cutoff = values[^1];
                    var expected = exact.Count(s => !float.IsNaN(s) && reference.Passes(s, cutoff));
                    var scan = ExactScanner.Scan(matrix, [fast], [cutoff], 10, 2, CancellationToken.None)[0];
                    Assert.Equal(expected, scan.Total);
                    var options = new ParallelOptions { MaxDegreeOfParallelism = 2 };
                    using (var pass = RankPass.Run(matrix, fast, options))
                    {
                        var stored = pass.Scan(cutoff, 10, options);
                        Assert.Equal(expected, stored.Total);
                        Assert.Equal(scan.Matches, stored.Matches);
                    }

                    if (percent == TopPercents[0])
                    {
                        Assert.Equal(exact.Count(s => !float.IsNaN(s) && s.Equals(cutoff)), expected); // one row, or its ties
                    }
                }
            }
        }
    }

    [Fact]
    public void A_matrix_without_data_has_no_ranks()
    {
        using var buffer = new NativeEmbeddingBuffer(3000, 16, EmbeddingElementType.UInt8, 1f / 255);
        for (var row = 0; row < 3000; row++)
        {
            buffer.ByteRow(row).Clear();
        }

        var query = new ScoringQuery(Enumerable.Repeat(1f, 16).ToArray(), SimilarityMetric.Cosine, buffer.Matrix, false);
        var called = false;
        var (valid, values, _) = ExactScanner.SelectRanks(buffer.Matrix, query, _ => { called = true; return [0]; }, 2, CancellationToken.None);
        Assert.Equal(0, valid);
        Assert.Empty(values);
        Assert.False(called);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_exact_score_lies_in_its_key_range(int level, int path, bool bytes, int d)
    {
        using var buffer = Build(bytes, d, seed: 11 + d);
        var queryVector = new float[d];
        buffer.Matrix.ReadVector(12, queryVector);
        foreach (var (metric, normalize) in new[] { (SimilarityMetric.Cosine, false), (SimilarityMetric.Euclidean, false), (SimilarityMetric.Euclidean, true) })
        {
            var query = new ScoringQuery(queryVector, metric, buffer.Matrix, normalize, (SimdLevel)level, (IntegerDotPath)path);
            var (keys, norms, stats) = Keys(buffer.Matrix, query);
            var width = query.KeyHalfWidth(stats);
            var checkedRows = 0;
            for (var row = 0; row < Rows; row++)
            {
                if (norms[row] == 0f)
                {
                    Assert.True(float.IsNaN(keys[row]));
                    continue;
                }

                var exact = query.ExactScore(buffer.Matrix, buffer.Matrix.RowPointer(row), norms[row]);
                var (low, high) = query.KeyScoreRange(keys[row], width);
                Assert.True(low <= exact && exact <= high, $"row {row}: {exact} outside [{low}, {high}] ({metric})");
                checkedRows++;
            }

            Assert.Equal(stats.Valid, checkedRows);
            Assert.False(stats.NonFinite);
        }
    }

    [Fact]
    public void The_second_code_narrows_uint8_bounds_a_hundredfold()
    {
        using var buffer = Build(bytes: true, 128, seed: 5);
        var queryVector = new float[128];
        buffer.Matrix.ReadVector(20, queryVector);
        var query = new ScoringQuery(queryVector, SimilarityMetric.Cosine, buffer.Matrix, false);
        var (keys, norms, stats) = Keys(buffer.Matrix, query);
        var refined = query.KeyScoreRange(keys[20], query.KeyHalfWidth(stats));

        var dots = new float[4];
        var integers = new int[8];
        fixed (float* dot = dots)
        fixed (int* integer = integers)
        {
            query.ApproximateDots(buffer.Matrix, 20, 1, dot, integer);
        }

        var (worst, best) = query.ScoreBounds(dots[0], norms[20]);
        Assert.True(refined.High - refined.Low < (best - worst) / 100, $"refined {refined.High - refined.Low}, one code {best - worst}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_that_are_not_finite_fall_back_to_every_row_exact(bool infinite)
    {
        using var buffer = Build(bytes: false, 16, seed: 2);
        buffer.FloatRow(100)[3] = infinite ? float.PositiveInfinity : float.NaN;
        buffer.FloatRow(5000)[0] = infinite ? float.NegativeInfinity : float.NaN;
        var queryVector = new float[16];
        buffer.Matrix.ReadVector(7, queryVector);
        var query = new ScoringQuery(queryVector, SimilarityMetric.Cosine, buffer.Matrix, false);
        var exact = new float[Rows];
        query.ScoreRows(buffer.Matrix, 0, exact);
        var sorted = exact.Where(s => !float.IsNaN(s)).ToArray();
        Array.Sort(sorted);

        var (valid, values, bounded) = ExactScanner.SelectRanks(buffer.Matrix, query, count => ExactSearch.Ranks(count, 1, true), 2, CancellationToken.None, fallbackFraction: 2);
        Assert.False(bounded);
        Assert.Equal(sorted.Length, valid);
        var ranks = ExactSearch.Ranks(valid, 1, true);
        Assert.Equal(ranks.Select(r => sorted[r]), values);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Scores_that_are_nearly_all_equal_keep_their_ranks(int others)
    {
        // Every row but a few is the query itself: the scores tie at the clamp of 1, where keys cannot
        // separate them; whatever path runs, the values are the sort's.
        using var buffer = new NativeEmbeddingBuffer(20_000, 32, EmbeddingElementType.UInt8, 1f / 255);
        var random = new Random(4);
        var query = Enumerable.Range(0, 32).Select(_ => (byte)random.Next(256)).ToArray();
        for (var row = 0; row < 20_000; row++)
        {
            query.CopyTo(buffer.ByteRow(row));
            if (row % 5000 < others)
            {
                buffer.ByteRow(row)[row % 32] ^= 0x40;
            }
        }

        var scoring = new ScoringQuery(query.Select(v => (float)v).ToArray(), SimilarityMetric.Cosine, buffer.Matrix, false);
        var exact = new float[20_000];
        scoring.ScoreRows(buffer.Matrix, 0, exact);
        Array.Sort(exact);
        foreach (var percent in new[] { 0.001, 50, 100 })
        {
            var (valid, values, _) = ExactScanner.SelectRanks(buffer.Matrix, scoring, count => ExactSearch.Ranks(count, percent, true), 2, CancellationToken.None, fallbackFraction: 2);
            Assert.Equal(20_000, valid);
            Assert.Equal(ExactSearch.Ranks(valid, percent, true).Select(r => exact[r]), values);
        }
    }

    /// <summary>Every row's key and norm, computed chunk by chunk as the scan does.</summary>
    private static (float[] Keys, float[] Norms, RankKeyStats Stats) Keys(EmbeddingMatrix matrix, ScoringQuery query)
    {
        var keys = new float[matrix.Rows];
        var norms = new float[matrix.Rows];
        var stats = RankKeyStats.Empty;
        var dots = new float[ExactScanner.ChunkRows];
        var integers = new int[2 * ExactScanner.ChunkRows];
        for (long start = 0; start < matrix.Rows; start += ExactScanner.ChunkRows)
        {
            var count = (int)Math.Min(ExactScanner.ChunkRows, matrix.Rows - start);
            for (var i = 0; i < count; i++)
            {
                norms[start + i] = query.RowNorm(matrix, matrix.RowPointer(start + i));
            }

            fixed (float* dot = dots)
            fixed (int* scratch = integers)
            fixed (float* norm = &norms[start])
            fixed (float* key = &keys[start])
            {
                query.Refined.ApproximateDots(matrix, start, count, dot, scratch);
                query.RankKeys(count, dot, norm, key, ref stats);
            }
        }

        return (keys, norms, stats);
    }

    /// <summary>
    /// A dense cluster around the query, copies of the query (3 % of the rows: ties at the top), runs of
    /// identical rows elsewhere (ties in the middle), rows with one value, and no-data rows.
    /// </summary>
    private static NativeEmbeddingBuffer Build(bool bytes, int d, int seed)
    {
        var random = new Random(seed);
        var buffer = new NativeEmbeddingBuffer(Rows, d, bytes ? EmbeddingElementType.UInt8 : EmbeddingElementType.Float32, bytes ? 1f / 255 : 1f);
        var centres = new float[3][];
        for (var c = 0; c < centres.Length; c++)
        {
            centres[c] = Enumerable.Range(0, d).Select(_ => (float)(40 + (random.NextDouble() * 170))).ToArray();
        }

        var run = new float[d];
        for (var row = 0; row < Rows; row++)
        {
            var values = new float[d];
            if (row % 97 == 5)
            {
                // no data
            }
            else if (row % 89 == 3)
            {
                values[random.Next(d)] = 1 + random.Next(254);
            }
            else if (row % 33 == 1 || row == 7)
            {
                Array.Copy(centres[0], values, d); // the query itself (row 7)
            }
            else if (row % 1000 < 40)
            {
                if (row % 1000 == 0)
                {
                    for (var i = 0; i < d; i++)
                    {
                        run[i] = (float)Math.Clamp(centres[1][i] + ((random.NextDouble() - 0.5) * 30), 0, 255);
                    }
                }

                Array.Copy(run, values, d);
            }
            else
            {
                var centre = centres[row % 5 == 0 ? 1 + (row % 2) : 0];
                var noise = row % 7 == 0 ? 0.6 : row % 3 == 0 ? 2.0 : 12.0;
                for (var i = 0; i < d; i++)
                {
                    values[i] = (float)Math.Clamp(centre[i] + ((random.NextDouble() - 0.5) * noise), 0, 255);
                }
            }

            NormsBuffer.WriteRow(buffer, row, values, bytes);
        }

        return buffer;
    }
}
