using Tessera.Indexing.Mosaics.Search;
using Tessera.Indexing.Vectors;

namespace Tessera.Indexing.Mosaics.Tests.Search;

/// <summary>
/// The fast exact scan (approximate kernels + rescoring inside the error bound) finds the same matches
/// with the same scores as scoring every row exactly on the scalar path, on every SIMD level and
/// integer path this machine has, for thresholds that cut through dense score regions.
/// </summary>
public sealed unsafe class ExactScanTests
{
    private const int Rows = 4099; // two full chunks and a ragged third, not a multiple of four

    public static TheoryData<int, int, bool, int> Paths()
    {
        var data = new TheoryData<int, int, bool, int>();
        foreach (var level in Simd.Available)
        {
            foreach (var bytes in new[] { false, true })
            {
                foreach (var d in new[] { 128, 37 })
                {
                    if (bytes)
                    {
                        foreach (var path in Simd.IntegerDotPaths)
                        {
                            data.Add((int)level, (int)path, bytes, d);
                        }
                    }
                    else
                    {
                        data.Add((int)level, (int)IntegerDotPath.Scalar, bytes, d);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Threshold_scans_match_the_scalar_exact_reference_for_every_metric(int level, int path, bool bytes, int d)
    {
        using var buffer = Build(bytes, d, seed: d + (bytes ? 1 : 0));
        AssertScansMatchReference(buffer, level, path, d);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Threshold_scans_match_the_reference_when_similar_rows_lie_together(int level, int path, bool bytes, int d)
    {
        // Runs of rows with like scores, so whole blocks of eight lie on either side of a threshold.
        using var buffer = Build(bytes, d, seed: d + 17, grouped: true);
        AssertScansMatchReference(buffer, level, path, d);
    }

    private static void AssertScansMatchReference(NativeEmbeddingBuffer buffer, int level, int path, int d)
    {
        using var norms = new NormsBuffer(buffer.Matrix);
        foreach (var (metric, normalize) in new[] { (SimilarityMetric.Cosine, false), (SimilarityMetric.Euclidean, false), (SimilarityMetric.Euclidean, true) })
        {
            var queryVector = QueryVector(buffer, d);
            var reference = new ScoringQuery(queryVector, metric, buffer.Matrix, normalize, SimdLevel.Scalar, IntegerDotPath.Scalar);
            var exact = new float[Rows];
            reference.ScoreRows(buffer.Matrix, 0, exact);

            foreach (var withNorms in new[] { false, true })
            {
                var matrix = withNorms ? norms.Matrix : buffer.Matrix;
                var single = new ScoringQuery(queryVector, metric, matrix, normalize, (SimdLevel)level, (IntegerDotPath)path);

                // The query as given (each chunk picks one or two int8 codes by how many rows the one
                // before had to rescore) and its refined form (two codes for every chunk).
                foreach (var (fast, threshold) in new[] { single, single.Refined }.SelectMany(q => Thresholds(exact, reference.HigherIsBetter).Select(t => (q, t))))
                {
                    var expected = Reference(exact, threshold, reference);
                    var outcome = ExactScanner.Scan(matrix, [fast], [threshold], Rows, 2, CancellationToken.None)[0];
                    Assert.Equal(expected.Count, outcome.Total);
                    Assert.Equal(expected, outcome.Matches);

                    // A small limit keeps the same best rows, counted in full.
                    var top = ExactScanner.Scan(matrix, [fast], [threshold], 7, 2, CancellationToken.None)[0];
                    Assert.Equal(expected.Count, top.Total);
                    Assert.Equal(expected.Take(7), top.Matches);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Score_bounds_always_contain_the_exact_score(int level, int path, bool bytes, int d)
    {
        using var buffer = Build(bytes, d, seed: 3 + d);
        using var norms = new NormsBuffer(buffer.Matrix);
        foreach (var (metric, normalize) in new[] { (SimilarityMetric.Cosine, false), (SimilarityMetric.Euclidean, false), (SimilarityMetric.Euclidean, true) })
        {
            var single = new ScoringQuery(QueryVector(buffer, d), metric, norms.Matrix, normalize, (SimdLevel)level, (IntegerDotPath)path);
            foreach (var query in new[] { single, single.Refined })
            {
                var dots = ApproximateDots(query, norms.Matrix);

                var checkedRows = 0;
                for (var row = 0; row < Rows; row++)
                {
                    var norm = norms.Matrix.Norms[row];
                    if (norm == 0)
                    {
                        continue;
                    }

                    var exact = query.ExactScore(norms.Matrix, norms.Matrix.RowPointer(row), norm);
                    var (worst, best) = query.ScoreBounds(dots[row], norm);
                    Assert.False(query.Better(exact, best), $"row {row}: exact {exact} better than the bound's best {best}");
                    Assert.False(query.Better(worst, exact), $"row {row}: exact {exact} worse than the bound's worst {worst}");
                    checkedRows++;
                }

                Assert.True(checkedRows > Rows / 2);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_cheap_tests_never_reject_a_passing_row_nor_accept_a_failing_one(int level, int path, bool bytes, int d)
    {
        using var buffer = Build(bytes, d, seed: 5 + d);
        using var norms = new NormsBuffer(buffer.Matrix);
        foreach (var (metric, normalize) in new[] { (SimilarityMetric.Cosine, false), (SimilarityMetric.Euclidean, false), (SimilarityMetric.Euclidean, true) })
        {
            var query = new ScoringQuery(QueryVector(buffer, d), metric, norms.Matrix, normalize, (SimdLevel)level, (IntegerDotPath)path);
            var dots = ApproximateDots(query, norms.Matrix);

            var exact = new float[Rows];
            query.ScoreRows(norms.Matrix, 0, exact);
            var rejected = 0;
            var accepted = 0;
            foreach (var threshold in Thresholds(exact, query.HigherIsBetter).Where(t => !float.IsNaN(t)))
            {
                var pass = query.PassCutoff(threshold);
                for (var row = 0; row < Rows; row++)
                {
                    if (!float.IsNaN(exact[row]) && !double.IsNaN(pass) && query.SurelyPasses(pass, dots[row], norms.Matrix.Norms[row]))
                    {
                        Assert.True(query.Passes(exact[row], threshold), $"row {row} fails {threshold} with {exact[row]} but was accepted");
                        accepted++;
                    }
                }

                var cutoff = query.FailCutoff(threshold);
                for (var row = 0; row < Rows; row++)
                {
                    if (!float.IsNaN(exact[row]) && !double.IsNaN(cutoff) && query.SurelyFails(cutoff, dots[row], norms.Matrix.Norms[row]))
                    {
                        Assert.False(query.Passes(exact[row], threshold), $"row {row} passes {threshold} with {exact[row]} but was rejected");
                        rejected++;
                    }
                }
            }

            Assert.True(rejected > 0);
            Assert.True(accepted > 0);
        }
    }

    [Fact]
    public void Exact_scores_agree_with_a_plain_double_precision_computation()
    {
        using var buffer = Build(bytes: true, 128, seed: 11);
        var queryVector = QueryVector(buffer, 128);
        var query = new ScoringQuery(queryVector, SimilarityMetric.Cosine, buffer.Matrix, normalizeRows: false);
        var scores = new float[Rows];
        query.ScoreRows(buffer.Matrix, 0, scores);
        var qn = Math.Sqrt(queryVector.Sum(v => (double)v * v));
        for (var row = 0; row < Rows; row++)
        {
            var r = buffer.ByteRow(row).ToArray();
            var rn = Math.Sqrt(r.Sum(v => (double)v * v));
            if (rn == 0)
            {
                Assert.True(float.IsNaN(scores[row]));
                continue;
            }

            var dot = 0.0;
            for (var i = 0; i < r.Length; i++)
            {
                dot += queryVector[i] * (double)r[i];
            }

            Assert.Equal(Math.Clamp(dot / (qn * rn), -1, 1), scores[row], 1e-6);
        }
    }

    private static float[] ApproximateDots(ScoringQuery query, EmbeddingMatrix matrix)
    {
        var dots = new float[Rows];
        var scratch = new int[2 * Rows];
        fixed (float* pd = dots)
        fixed (int* ps = scratch)
        {
            query.ApproximateDots(matrix, 0, Rows, pd, ps);
        }

        return dots;
    }

    /// <summary>Matches of the reference scores, best first, ties by lower row.</summary>
    private static List<(long Pixel, float Score)> Reference(float[] exact, float threshold, ScoringQuery query)
    {
        var matches = new List<(long Pixel, float Score)>();
        for (var row = 0; row < exact.Length; row++)
        {
            if (!float.IsNaN(exact[row]) && (float.IsNaN(threshold) || query.Passes(exact[row], threshold)))
            {
                matches.Add((row, exact[row]));
            }
        }

        matches.Sort((a, b) => a.Score != b.Score ? (query.HigherIsBetter ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score)) : a.Pixel.CompareTo(b.Pixel));
        return matches;
    }

    /// <summary>No threshold, thresholds equal to scores inside the dense cluster, just beside them, and at the extremes.</summary>
    private static IEnumerable<float> Thresholds(float[] exact, bool higherIsBetter)
    {
        var sorted = exact.Where(s => !float.IsNaN(s)).Order().ToArray();
        yield return float.NaN;
        foreach (var quantile in new[] { 0.02, 0.3, 0.5, 0.7, 0.9, 0.97, 0.995 })
        {
            var s = sorted[(int)(quantile * (sorted.Length - 1))];
            yield return s;
            yield return MathF.BitIncrement(s);
            yield return MathF.BitDecrement(s);
        }

        yield return higherIsBetter ? sorted[^1] : sorted[0];
        yield return higherIsBetter ? 1f : 0f;
    }

    /// <summary>
    /// Rows around a few centres, most within a small angle of the first one (so many scores crowd near
    /// the top), plus no-data rows (all zero), rows with one non-zero value, and exact copies of the query.
    /// </summary>
    private static NativeEmbeddingBuffer Build(bool bytes, int d, int seed, bool grouped = false)
    {
        var random = new Random(seed);
        var buffer = new NativeEmbeddingBuffer(Rows, d, bytes ? EmbeddingElementType.UInt8 : EmbeddingElementType.Float32, bytes ? 1f / 255 : 1f);
        var centres = new float[3][];
        for (var c = 0; c < centres.Length; c++)
        {
            centres[c] = Enumerable.Range(0, d).Select(_ => (float)(40 + (random.NextDouble() * 170))).ToArray();
        }

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
            else
            {
                var centre = grouped ? centres[row / 512 % 3] : centres[row % 5 == 0 ? 1 + (row % 2) : 0];
                var noise = grouped ? (row / 64 % 4) * 4.0 : row % 7 == 0 ? 0 : row % 3 == 0 ? 2.0 : 12.0;
                for (var i = 0; i < d; i++)
                {
                    values[i] = (float)Math.Clamp(centre[i] + ((random.NextDouble() - 0.5) * noise), 0, 255);
                }
            }

            NormsBuffer.WriteRow(buffer, row, values, bytes);
        }

        return buffer;
    }

    /// <summary>The indexed vector of row 0 (a copy of the first centre), the way a pixel query takes it.</summary>
    private static float[] QueryVector(NativeEmbeddingBuffer buffer, int d)
    {
        var vector = new float[d];
        buffer.Matrix.ReadVector(7, vector);
        return vector;
    }
}
