using Tessera.Indexing.Indexes;
using Xunit;

namespace Tessera.Indexing.Testing.Contracts;

/// <summary>
/// What every <see cref="IVectorIndexBuilder"/> and the <see cref="IVectorIndex"/>es it makes must do, from the two
/// interfaces' documentation and what the mosaic build, the shard builder, alignment checks and search rely on:
/// create from a spec (dimension, metric, empty), train, add with labels, k-NN and range search in the metric's
/// order and units, serialise/deserialise and save/load to an index that answers identically, reset keeping the
/// training, concurrent searches, cancellation between steps, and bad arguments refused with
/// <see cref="ArgumentException"/> before any native code sees them.
/// </summary>
/// <remarks>
/// A concrete test class fills in <see cref="CreateBuilder"/> and <see cref="FactoryString"/>; an approximate index
/// (product quantisation) sets <see cref="IsExact"/> to <see langword="false"/>, an IVF index sets
/// <see cref="ExhaustiveProbe"/> to its list count. Data: <see cref="VectorCount"/> clustered vectors of
/// <see cref="Dimension"/> values, which every builder here trains on in well under a second.
/// </remarks>
public abstract class VectorIndexContract : IDisposable
{
    private readonly TempDirectory _directory = new("tessera-index");
    private readonly List<IVectorIndex> _indexes = [];

    /// <summary>The builder under test.</summary>
    /// <returns>A builder.</returns>
    protected abstract IVectorIndexBuilder CreateBuilder();

    /// <summary>The factory string the index is created from, for example <c>Flat</c> or <c>IVF4,PQ4np</c>.</summary>
    protected abstract string FactoryString { get; }

    /// <summary>Whether searches with <see cref="ExhaustiveProbe"/> return the exact neighbours and distances.</summary>
    protected virtual bool IsExact => true;

    /// <summary>The <c>nprobe</c> that makes a search visit every list (IVF: the list count); 0 for indexes without lists.</summary>
    protected virtual int ExhaustiveProbe => 0;

    /// <summary>
    /// Whether <see cref="IVectorIndex.Add(ReadOnlySpan{float})"/> (labels from <see cref="IVectorIndex.Count"/> on) works;
    /// an index that keeps explicit labels only (FAISS's <c>IDMap</c>) refuses it, adding nothing.
    /// </summary>
    protected virtual bool AddsWithoutLabels => true;

    /// <summary>
    /// The share of stored vectors an approximate index must find among their own 10 nearest (exhaustive probe). Low
    /// enough for 4-bit product quantisation of the contract's data, high enough that losing a call's vectors fails.
    /// </summary>
    protected virtual double MinimumRecall => 0.75;

    /// <summary>The vector dimension used.</summary>
    protected virtual int Dimension => 8;

    /// <summary>The number of vectors trained on and added (enough for 256-centroid PQ codebooks, should a subclass use 8-bit codes).</summary>
    protected virtual int VectorCount => 600;

    /// <summary>The data set: clustered, seeded.</summary>
    protected float[] Vectors => _vectors ??= TestData.ClusteredVectors(VectorCount, Dimension, clusters: 12, seed: 11);

    private float[]? _vectors;

    /// <summary>The labels the contract adds the vectors with: not positions, so a builder that ignores them is caught.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The labels.</returns>
    protected long[] Labels(int count) => Enumerable.Range(0, count).Select(i => FirstLabel + (LabelStep * i)).ToArray();

    /// <summary>
    /// The first label the tests give (default 1,000,000, with <see cref="LabelStep"/> 7: labels unrelated to
    /// positions). An index that labels vectors by position, as FAISS's plain <c>Flat</c> does, sets 0 and 1.
    /// </summary>
    protected virtual long FirstLabel => 1_000_000L;

    /// <summary>The step between consecutive labels (see <see cref="FirstLabel"/>).</summary>
    protected virtual long LabelStep => 7L;

    /// <summary>Queries: perturbed copies of stored vectors.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The queries, row-major.</returns>
    protected float[] Queries(int count)
    {
        var random = new Random(5);
        var queries = new float[count * Dimension];
        for (var q = 0; q < count; q++)
        {
            var row = random.Next(VectorCount);
            for (var j = 0; j < Dimension; j++)
            {
                queries[(q * Dimension) + j] = Vectors[(row * Dimension) + j] + (float)((random.NextDouble() - 0.5) * 0.02);
            }
        }

        return queries;
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Create_gives_an_empty_index_with_the_specs_dimension_and_metric(VectorMetric metric)
    {
        var index = Track(CreateBuilder().Create(new VectorIndexSpec(Dimension, FactoryString, metric)));

        Assert.Equal(Dimension, index.Dimension);
        Assert.Equal(metric, index.Metric);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Create_refuses_a_missing_or_impossible_spec_with_ArgumentException()
    {
        var builder = CreateBuilder();

        Assert.ThrowsAny<ArgumentException>(() => builder.Create(null!));
        Assert.ThrowsAny<ArgumentException>(() => builder.Create(new VectorIndexSpec(0, FactoryString)));
        Assert.ThrowsAny<ArgumentException>(() => builder.Create(new VectorIndexSpec(-3, FactoryString)));
        Assert.ThrowsAny<ArgumentException>(() => builder.Create(new VectorIndexSpec(Dimension, " ")));
        Assert.ThrowsAny<ArgumentException>(() => builder.Create(new VectorIndexSpec(Dimension, FactoryString, (VectorMetric)42)));
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Training_leaves_the_index_trained_and_empty(VectorMetric metric)
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString, metric)));

        builder.Train(index, Vectors);

        Assert.True(index.IsTrained);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Search_returns_the_labels_the_vectors_were_added_with_and_finds_each_stored_vector()
    {
        var index = Build(VectorMetric.L2);
        var labels = Labels(VectorCount);
        const int K = 10;
        var found = 0;
        var queried = 0;
        for (var row = 0; row < VectorCount; row += 13)
        {
            queried++;
            var (distances, hits) = Search(index, Vectors.AsSpan(row * Dimension, Dimension), K);
            Assert.All(hits, label => Assert.Contains(label, labels));
            if (IsExact)
            {
                Assert.Equal(labels[row], hits[0]);
                Assert.True(Math.Abs(distances[0]) < 1e-4, $"the distance of a stored vector to itself is {distances[0]}");
            }

            found += hits.Contains(labels[row]) ? 1 : 0;
        }

        // An approximate index still finds most stored vectors among their own 10 nearest.
        Assert.True(found >= queried * (IsExact ? 1 : MinimumRecall), $"only {found} of {queried} stored vectors were among their own {K} nearest");
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Search_results_come_best_first_in_the_metrics_units(VectorMetric metric)
    {
        var index = Build(metric);
        var queries = Queries(25);
        const int K = 12;
        var distances = new float[25 * K];
        var labels = new long[25 * K];

        index.Search(queries, K, distances, labels, ExhaustiveProbe);

        var byLabel = Labels(VectorCount).Select((label, row) => (label, row)).ToDictionary(p => p.label, p => p.row);
        for (var q = 0; q < 25; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            for (var i = 0; i < K; i++)
            {
                var distance = distances[(q * K) + i];
                Assert.True(labels[(q * K) + i] >= 0, $"query {q} found fewer than {K} of {VectorCount} vectors");
                if (i > 0)
                {
                    var previous = distances[(q * K) + i - 1];
                    Assert.True(metric == VectorMetric.L2 ? previous <= distance : previous >= distance, $"query {q}: hit {i} ({distance}) is better than hit {i - 1} ({previous})");
                }

                if (IsExact)
                {
                    // Exact indexes report the true squared L2 distance or inner product of each hit.
                    var stored = Vectors.AsSpan(byLabel[labels[(q * K) + i]] * Dimension, Dimension);
                    var truth = metric == VectorMetric.L2 ? TestData.SquaredL2(query, stored) : TestData.Dot(query, stored);
                    Assert.True(Math.Abs(truth - distance) <= 1e-4 * Math.Max(1, Math.Abs(truth)), $"query {q}, hit {i}: reported {distance}, true {truth}");
                }
            }
        }
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void An_exact_search_returns_the_true_nearest_neighbours(VectorMetric metric)
    {
        if (!IsExact)
        {
            return;
        }

        var index = Build(metric);
        var queries = Queries(7);
        const int K = 5;
        for (var q = 0; q < 7; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var truth = BruteForce(query, metric);
            var (distances, _) = Search(index, query, K);
            for (var i = 0; i < K; i++)
            {
                Assert.True(Math.Abs(truth[i].Score - distances[i]) <= 1e-4 * Math.Max(1, Math.Abs(truth[i].Score)), $"query {q}, rank {i}: reported {distances[i]}, true {truth[i].Score}");
            }
        }
    }

    [Fact]
    public void A_k_above_the_count_pads_the_results_with_minus_one()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        builder.Train(index, Vectors);
        builder.Add(index, Vectors.AsSpan(0, 3 * Dimension), Labels(3));

        var distances = new float[8];
        var labels = new long[8];
        index.Search(Vectors.AsSpan(0, Dimension), 8, distances, labels, ExhaustiveProbe);

        Assert.Equal(Labels(3).Order(), labels[..3].Order());
        Assert.All(labels[3..], label => Assert.Equal(-1, label));
    }

    [Fact]
    public void Adding_without_labels_numbers_the_vectors_from_the_count_on_or_is_refused()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        builder.Train(index, Vectors);
        if (!AddsWithoutLabels)
        {
            Assert.ThrowsAny<Exception>(() => index.Add(Vectors.AsSpan(0, 100 * Dimension)));
            Assert.Equal(0, index.Count);
            return;
        }

        index.Add(Vectors.AsSpan(0, 100 * Dimension));
        index.Add(Vectors.AsSpan(100 * Dimension, 50 * Dimension));

        Assert.Equal(150, index.Count);
        if (IsExact)
        {
            Assert.Equal(0, Search(index, Vectors.AsSpan(0, Dimension), 1).Labels[0]);
            Assert.Equal(120, Search(index, Vectors.AsSpan(120 * Dimension, Dimension), 1).Labels[0]);
        }
        else
        {
            Assert.All(Search(index, Vectors.AsSpan(120 * Dimension, Dimension), 10).Labels, label => Assert.InRange(label, 0, 149));
        }
    }

    [Fact]
    public void Adding_in_several_calls_keeps_every_vector()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        var labels = Labels(VectorCount);
        builder.Train(index, Vectors);

        builder.Add(index, Vectors.AsSpan(0, 250 * Dimension), labels.AsSpan(0, 250));
        builder.Add(index, Vectors.AsSpan(250 * Dimension), labels.AsSpan(250));

        Assert.Equal(VectorCount, index.Count);
        var rows = Enumerable.Range(0, VectorCount).Where(row => row % 11 == 0 || row == VectorCount - 1).ToArray();
        var found = rows.Count(row => Search(index, Vectors.AsSpan(row * Dimension, Dimension), 10).Labels.Contains(labels[row]));
        Assert.True(IsExact ? found == rows.Length : found >= rows.Length * MinimumRecall, $"{found} of {rows.Length} stored vectors from both calls were among their own 10 nearest");
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Range_search_returns_the_vectors_within_the_radius(VectorMetric metric)
    {
        var index = Build(metric);
        var queries = Queries(4);
        var radii = new float[4];
        var expected = new HashSet<long>[4];
        var labels = Labels(VectorCount);
        for (var q = 0; q < 4; q++)
        {
            var truth = BruteForce(queries.AsSpan(q * Dimension, Dimension), metric);
            var (radius, within) = RadiusWithClearGap(truth, around: 10 + (5 * q));
            radii[q] = radius;
            expected[q] = within.Select(row => labels[row]).ToHashSet();
        }

        for (var q = 0; q < 4; q++)
        {
            var result = index.RangeSearch(queries.AsSpan(q * Dimension, Dimension), radii[q], ExhaustiveProbe);
            Assert.Equal(1, result.QueryCount);
            var hits = result.GetHits(0);
            Assert.All(hits, hit => Assert.True(metric == VectorMetric.L2 ? hit.Distance < radii[q] : hit.Distance > radii[q], $"hit {hit.Label} at {hit.Distance} is outside the radius {radii[q]}"));
            Assert.All(hits, hit => Assert.Contains(hit.Label, labels));
            if (IsExact)
            {
                Assert.Equal(expected[q].Order(), hits.Select(h => h.Label).Order());
            }
        }

        var batch = index.RangeSearch(queries, radii[0], ExhaustiveProbe);
        Assert.Equal(4, batch.QueryCount);
        Assert.Equal(5, batch.Limits.Count);
        Assert.Equal(index.RangeSearch(queries.AsSpan(0, Dimension), radii[0], ExhaustiveProbe).GetHits(0).Select(h => h.Label).Order(), batch.GetHits(0).Select(h => h.Label).Order());
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Serialize_then_deserialize_gives_an_index_that_answers_identically(VectorMetric metric)
    {
        var builder = CreateBuilder();
        var index = Build(metric, builder);

        var copy = Track(builder.Deserialize(index.Serialize()));

        AssertSameIndex(index, copy);
    }

    [Theory]
    [InlineData(VectorMetric.L2)]
    [InlineData(VectorMetric.InnerProduct)]
    public void Save_then_load_gives_an_index_that_answers_identically(VectorMetric metric)
    {
        var builder = CreateBuilder();
        var index = Build(metric, builder);
        var path = _directory.File("index.bin");

        index.Save(path);
        var copy = Track(builder.Load(path));

        AssertSameIndex(index, copy);
        Assert.Equal(index.Serialize(), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_deserialised_empty_trained_index_can_be_filled()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        builder.Train(index, Vectors);

        var copy = Track(builder.Deserialize(index.Serialize()));
        builder.Add(copy, Vectors, Labels(VectorCount));

        Assert.True(copy.IsTrained);
        Assert.Equal(VectorCount, copy.Count);
        Assert.Contains(Labels(VectorCount)[42], Search(copy, Vectors.AsSpan(42 * Dimension, Dimension), 10).Labels);
    }

    [Fact]
    public void Loading_a_missing_file_throws_FileNotFoundException()
    {
        Assert.Throws<FileNotFoundException>(() => CreateBuilder().Load(_directory.File("missing.index")));
    }

    [Fact]
    public void Reading_bytes_that_are_not_an_index_throws()
    {
        var builder = CreateBuilder();
        var garbage = new byte[300];
        new Random(3).NextBytes(garbage);
        var truncated = Build(VectorMetric.L2, builder).Serialize()[..100];
        File.WriteAllBytes(_directory.File("garbage.index"), garbage);

        Assert.ThrowsAny<Exception>(() => builder.Deserialize(garbage));
        Assert.ThrowsAny<Exception>(() => builder.Deserialize(truncated));
        Assert.ThrowsAny<Exception>(() => builder.Deserialize([]));
        Assert.ThrowsAny<Exception>(() => builder.Load(_directory.File("garbage.index")));
    }

    [Fact]
    public void Reset_removes_every_vector_and_keeps_the_training()
    {
        var builder = CreateBuilder();
        var index = Build(VectorMetric.L2, builder);

        index.Reset();

        Assert.Equal(0, index.Count);
        Assert.True(index.IsTrained);
        Assert.All(Search(index, Vectors.AsSpan(0, Dimension), 3).Labels, label => Assert.Equal(-1, label));
        builder.Add(index, Vectors.AsSpan(0, 20 * Dimension), Labels(20));
        Assert.Equal(20, index.Count);
        Assert.Contains(Labels(20)[7], Search(index, Vectors.AsSpan(7 * Dimension, Dimension), 5).Labels);
    }

    [Fact]
    public void Adding_before_training_throws_and_adds_nothing()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        if (index.IsTrained)
        {
            return; // training-free index: nothing to refuse
        }

        Assert.ThrowsAny<Exception>(() => builder.Add(index, Vectors.AsSpan(0, 10 * Dimension), Labels(10)));
        if (AddsWithoutLabels)
        {
            Assert.ThrowsAny<Exception>(() => index.Add(Vectors.AsSpan(0, 10 * Dimension)));
        }

        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Partial_vectors_and_mismatched_labels_are_refused_with_ArgumentException()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));

        Assert.ThrowsAny<ArgumentException>(() => builder.Train(index, Vectors.AsSpan(0, (VectorCount * Dimension) - 1)));
        Assert.ThrowsAny<ArgumentException>(() => builder.Train(index, ReadOnlySpan<float>.Empty));
        builder.Train(index, Vectors);
        Assert.ThrowsAny<ArgumentException>(() => builder.Add(index, Vectors.AsSpan(0, (10 * Dimension) + 1), Labels(10)));
        Assert.ThrowsAny<ArgumentException>(() => builder.Add(index, Vectors.AsSpan(0, 10 * Dimension), Labels(9)));
        Assert.ThrowsAny<ArgumentException>(() => index.Add(Vectors.AsSpan(0, (10 * Dimension) - 1)));
        Assert.ThrowsAny<ArgumentException>(() => index.Add(Vectors.AsSpan(0, 10 * Dimension), Labels(11)));
        Assert.ThrowsAny<ArgumentException>(() => builder.Train(null!, Vectors));
        Assert.ThrowsAny<ArgumentException>(() => builder.Add(null!, Vectors, Labels(VectorCount)));

        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Bad_search_arguments_are_refused_with_ArgumentException()
    {
        var index = Build(VectorMetric.L2);
        var query = Vectors.AsSpan(0, Dimension).ToArray();

        Assert.ThrowsAny<ArgumentException>(() => index.Search(query, 0, new float[1], new long[1]));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(query, 5, new float[4], new long[5]));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(query, 5, new float[5], new long[4]));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(query.AsSpan(1), 1, new float[1], new long[1]));
        Assert.ThrowsAny<ArgumentException>(() => index.Search(query, 1, new float[1], new long[1], nprobe: -1));
        Assert.ThrowsAny<ArgumentException>(() => index.RangeSearch(query.AsSpan(1), 1f));
        Assert.ThrowsAny<ArgumentException>(() => index.RangeSearch(query, 1f, nprobe: -1));
        Assert.ThrowsAny<ArgumentException>(() => index.Save(string.Empty));
    }

    [Fact]
    public void A_cancelled_training_throws_OperationCanceledException_and_leaves_the_index_untrained()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        if (index.IsTrained)
        {
            return; // training-free index: nothing to cancel
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => builder.Train(index, Vectors, cancelled.Token));

        Assert.False(index.IsTrained);
    }

    [Fact]
    public void A_cancelled_add_throws_OperationCanceledException_and_adds_nothing()
    {
        var builder = CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        builder.Train(index, Vectors);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => builder.Add(index, Vectors, Labels(VectorCount), cancelled.Token));

        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void The_progress_overloads_build_the_same_index()
    {
        var builder = CreateBuilder();
        var plain = Build(VectorMetric.L2, builder);
        var reported = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString)));
        var steps = new List<IndexBuildProgress>();
        var progress = new SynchronousProgress<IndexBuildProgress>(steps.Add);

        builder.Train(reported, Vectors, progress, CancellationToken.None);
        builder.Add(reported, Vectors, Labels(VectorCount), progress, CancellationToken.None);

        Assert.Equal(plain.Serialize(), reported.Serialize());
    }

    [Fact]
    public async Task Concurrent_searches_return_the_same_results_as_serial_ones()
    {
        var index = Build(VectorMetric.L2);
        var queries = Queries(16);
        var expected = Enumerable.Range(0, 16).Select(q => Search(index, queries.AsSpan(q * Dimension, Dimension), 5)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
        {
            var q = i % 16;
            return (q, Result: Search(index, queries.AsSpan(q * Dimension, Dimension), 5), Range: index.RangeSearch(queries.AsSpan(q * Dimension, Dimension), expected[q].Distances[2] + 1e-3f, ExhaustiveProbe).GetHits(0).Length);
        })));

        foreach (var (q, result, range) in results)
        {
            Assert.Equal(expected[q].Labels, result.Labels);
            Assert.Equal(expected[q].Distances, result.Distances);
            Assert.True(range >= 3, $"query {q}: the range search found {range} hits, fewer than the 3 k-NN hits inside its radius");
        }
    }

    [Fact]
    public void Disposing_twice_is_harmless_and_later_use_throws_ObjectDisposedException()
    {
        var index = CreateBuilder().Create(new VectorIndexSpec(Dimension, FactoryString));

        index.Dispose();
        index.Dispose();

        Assert.Throws<ObjectDisposedException>(() => index.Search(Vectors.AsSpan(0, Dimension), 1, new float[1], new long[1]));
        Assert.Throws<ObjectDisposedException>(() => index.Count);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var index in _indexes)
        {
            index.Dispose();
        }

        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates, trains and fills an index with every vector and <see cref="Labels"/>.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="builder">The builder; a new one when <see langword="null"/>.</param>
    /// <returns>The index (disposed with the test).</returns>
    protected IVectorIndex Build(VectorMetric metric, IVectorIndexBuilder? builder = null)
    {
        builder ??= CreateBuilder();
        var index = Track(builder.Create(new VectorIndexSpec(Dimension, FactoryString, metric)));
        builder.Train(index, Vectors);
        builder.Add(index, Vectors, Labels(VectorCount));
        return index;
    }

    private IVectorIndex Track(IVectorIndex index)
    {
        _indexes.Add(index);
        return index;
    }

    private (float[] Distances, long[] Labels) Search(IVectorIndex index, ReadOnlySpan<float> query, int k)
    {
        var distances = new float[k];
        var labels = new long[k];
        index.Search(query, k, distances, labels, ExhaustiveProbe);
        return (distances, labels);
    }

    private void AssertSameIndex(IVectorIndex expected, IVectorIndex actual)
    {
        Assert.Equal(expected.Dimension, actual.Dimension);
        Assert.Equal(expected.Metric, actual.Metric);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.IsTrained, actual.IsTrained);
        var queries = Queries(20);
        const int K = 7;
        var (d1, l1) = (new float[20 * K], new long[20 * K]);
        var (d2, l2) = (new float[20 * K], new long[20 * K]);
        expected.Search(queries, K, d1, l1, ExhaustiveProbe);
        actual.Search(queries, K, d2, l2, ExhaustiveProbe);
        Assert.Equal(l1, l2);
        Assert.Equal(d1, d2);
        var radius = d1[3];
        var r1 = expected.RangeSearch(queries, radius, ExhaustiveProbe);
        var r2 = actual.RangeSearch(queries, radius, ExhaustiveProbe);
        Assert.Equal(r1.Limits, r2.Limits);
        Assert.Equal(r1.Labels, r2.Labels);
        Assert.Equal(r1.Distances, r2.Distances);
    }

    /// <summary>Every stored vector's true score for <paramref name="query"/>, best first.</summary>
    private (int Row, float Score)[] BruteForce(ReadOnlySpan<float> query, VectorMetric metric)
    {
        var scores = new (int Row, float Score)[VectorCount];
        for (var row = 0; row < VectorCount; row++)
        {
            var stored = Vectors.AsSpan(row * Dimension, Dimension);
            scores[row] = (row, metric == VectorMetric.L2 ? TestData.SquaredL2(query, stored) : TestData.Dot(query, stored));
        }

        return metric == VectorMetric.L2 ? [.. scores.OrderBy(s => s.Score)] : [.. scores.OrderByDescending(s => s.Score)];
    }

    /// <summary>A radius near rank <paramref name="around"/> in the widest gap between neighbours, so rounding cannot move a vector across it.</summary>
    private static (float Radius, int[] Within) RadiusWithClearGap((int Row, float Score)[] ranked, int around)
    {
        var best = around;
        var widest = -1f;
        for (var i = around - 5; i <= around + 5; i++)
        {
            var gap = Math.Abs(ranked[i].Score - ranked[i - 1].Score);
            if (gap > widest)
            {
                widest = gap;
                best = i;
            }
        }

        var radius = (ranked[best - 1].Score + ranked[best].Score) / 2;
        return (radius, ranked[..best].Select(r => r.Row).ToArray());
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (so the list needs no lock).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
