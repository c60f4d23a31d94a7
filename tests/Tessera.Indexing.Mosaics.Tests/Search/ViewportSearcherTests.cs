using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Mosaics.Tests.Search;

public sealed class ViewportSearcherTests
{
    public static TheoryData<bool, bool, SimilarityMetric> Layouts => new()
    {
        { false, false, SimilarityMetric.Cosine },
        { false, false, SimilarityMetric.Euclidean },
        { true, false, SimilarityMetric.Cosine },
        { true, false, SimilarityMetric.Euclidean },
        { false, true, SimilarityMetric.Euclidean },
        { true, true, SimilarityMetric.Cosine },
        { true, true, SimilarityMetric.Euclidean },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Threshold_search_returns_exactly_the_pixels_a_plain_scan_finds(bool bytes, bool normalized, SimilarityMetric metric)
    {
        var viewport = new InMemoryViewport(61, 53, 128, bytes, normalized);
        using var searcher = viewport.Open();
        var (threshold, expected) = ThresholdWithGap(viewport, 20, 30, metric, share: 0.3);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(20, 30)) { Metric = metric, Threshold = threshold, Limit = 1_000_000 });

        Assert.Equal(SearchStrategy.ExactScan, result.Strategy);
        Assert.True(result.IsExact);
        Assert.Equal(expected.Count, result.Total);
        Assert.Equal(expected.Select(e => e.Pixel).Order(), result.Matches.Select(m => m.PixelIndex).Order());
        var byPixel = expected.ToDictionary(e => e.Pixel, e => e.Score);
        foreach (var match in result.Matches)
        {
            Assert.Equal(byPixel[match.PixelIndex], match.Score, 1e-4);
        }
    }

    [Fact]
    public void A_limit_keeps_the_best_matches_and_still_counts_every_match()
    {
        var viewport = new InMemoryViewport(61, 53, 128, bytes: true);
        using var searcher = viewport.Open();
        var all = viewport.BruteForceScores(viewport.IndexedVector((10 * 53) + 10), SimilarityMetric.Cosine);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(10, 10)) { Threshold = -1f, Limit = 25 });

        Assert.Equal(all.Count, result.Total);
        Assert.Equal(25, result.Matches.Count);
        var best = all.OrderByDescending(s => s.Score).ThenBy(s => s.Pixel).Take(25).ToList();
        Assert.Equal(best[^1].Score, result.Matches[^1].Score, 1e-5);
        Assert.Equal(10L * 53 + 10, result.Matches[0].PixelIndex);
        Assert.True(result.Matches.Zip(result.Matches.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Exact_top_k_equals_the_k_best_of_a_plain_scan()
    {
        var viewport = new InMemoryViewport(47, 59, 128, bytes: false);
        using var searcher = viewport.Open();
        var query = viewport.IndexedVector(1000).Select(v => (float)v).ToArray();
        var expected = viewport.BruteForceScores(viewport.IndexedVector(1000), SimilarityMetric.Euclidean).OrderBy(s => s.Score).ThenBy(s => s.Pixel).Take(15).ToList();

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.FromVector(query)) { Metric = SimilarityMetric.Euclidean, K = 15, Strategy = SearchStrategy.ExactScan });

        Assert.Equal(expected.Select(e => e.Pixel), result.Matches.Select(m => m.PixelIndex));
        Assert.Equal(15, result.Total);
    }

    [Fact]
    public void Faiss_top_k_recall_at_10_is_at_least_0_9_with_nprobe_4_of_16_lists_and_1_when_probing_all()
    {
        var viewport = new InMemoryViewport(128, 128, 32, bytes: true, seed: 11);
        using var searcher = viewport.Open("IVF16,Flat", factor: 2, indexMetric: VectorMetric.L2);
        var sampled = viewport.SampledPixels(2);
        var random = new Random(5);
        double hitsNprobe2 = 0, hitsAll = 0;
        const int queries = 20, k = 10;
        for (var q = 0; q < queries; q++)
        {
            var pixel = sampled[random.Next(sampled.Count)];
            var vector = viewport.IndexedVector(pixel);
            var truth = sampled.Select(p => (Pixel: p, Distance: Distance(vector, viewport.IndexedVector(p))))
                .OrderBy(x => x.Distance).ThenBy(x => x.Pixel).Take(k).Select(x => x.Pixel).ToHashSet();
            var request = new SimilaritySearchRequest(ViewportQuery.FromVector(vector.Select(v => (float)v).ToArray())) { Metric = SimilarityMetric.Euclidean, K = k };

            var two = searcher.Search(request with { NProbe = 4 });
            var all = searcher.Search(request with { NProbe = 16 });

            Assert.Equal(SearchStrategy.FaissTopK, two.Strategy);
            hitsNprobe2 += two.Matches.Count(m => truth.Contains(m.PixelIndex));
            hitsAll += all.Matches.Count(m => truth.Contains(m.PixelIndex));
        }

        var recall2 = hitsNprobe2 / (queries * k);
        var recallAll = hitsAll / (queries * k);
        Assert.True(recall2 >= 0.9, $"recall@10 with nprobe=4 was {recall2:F3}");
        Assert.Equal(1.0, recallAll, 3);
    }

    [Fact]
    public void Range_candidates_over_a_flat_index_of_every_pixel_equal_the_exact_scan()
    {
        var viewport = new InMemoryViewport(40, 44, 64, bytes: false, normalized: true);
        using var searcher = viewport.Open("IDMap,Flat", factor: 1, indexMetric: VectorMetric.InnerProduct);
        var request = new SimilaritySearchRequest(ViewportQuery.AtPixel(30, 30)) { Threshold = 0.985f, Limit = 100_000 };

        var scan = searcher.Search(request with { Strategy = SearchStrategy.ExactScan });
        var range = searcher.Search(request with { Strategy = SearchStrategy.FaissRangeCandidates });

        Assert.Equal(SearchStrategy.FaissRangeCandidates, range.Strategy);
        Assert.False(range.IsExact);
        Assert.InRange(scan.Total, 2, 40L * 44 - 50);
        Assert.Equal(scan.Total, range.Total);
        Assert.Equal(scan.Matches.Select(m => m.PixelIndex).Order(), range.Matches.Select(m => m.PixelIndex).Order());
    }

    [Fact]
    public void Range_candidates_over_a_sampled_index_return_only_true_matches()
    {
        var viewport = new InMemoryViewport(64, 64, 32, bytes: true, normalized: true);
        using var searcher = viewport.Open("IVF8,Flat", factor: 4, indexMetric: VectorMetric.L2);
        var request = new SimilaritySearchRequest(ViewportQuery.AtPixel(9, 9)) { Threshold = 0.99f, Limit = 100_000 };

        var scan = searcher.Search(request);
        var range = searcher.Search(request with { Strategy = SearchStrategy.FaissRangeCandidates, NProbe = 8 });

        var exact = scan.Matches.Select(m => m.PixelIndex).ToHashSet();
        Assert.True(range.Total > 0);
        Assert.All(range.Matches, m => Assert.Contains(m.PixelIndex, exact));
    }

    [Fact]
    public void Score_distribution_equals_percentiles_of_a_plain_sort()
    {
        var viewport = new InMemoryViewport(50, 50, 128, bytes: true);
        using var searcher = viewport.Open();
        var scores = viewport.BruteForceScores(viewport.IndexedVector(777), SimilarityMetric.Cosine).Select(s => s.Score).Order().ToArray();

        var distribution = searcher.GetScoreDistribution(ViewportQuery.AtPixel(777 / 50, 777 % 50), SimilarityMetric.Cosine);

        Assert.Equal(scores.Length, distribution.Count);
        Assert.Equal(scores[0], distribution.Min, 1e-5);
        Assert.Equal(scores[^1], distribution.Max, 1e-5);
        Assert.Equal(Percentile(scores, 50), distribution.P50, 1e-5);
        Assert.Equal(Percentile(scores, 5), distribution.P5, 1e-5);
        Assert.Equal(Percentile(scores, 99), distribution.P99, 1e-5);
    }

    [Theory]
    [InlineData(SimilarityMetric.Cosine)]
    [InlineData(SimilarityMetric.Euclidean)]
    public void Top_percent_returns_that_share_of_the_pixels_with_data(SimilarityMetric metric)
    {
        var viewport = new InMemoryViewport(50, 40, 128, bytes: false);
        using var searcher = viewport.Open();
        var scores = viewport.BruteForceScores(viewport.IndexedVector(333), metric);
        var wanted = (int)Math.Ceiling(scores.Count * 0.05);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(333 / 40, 333 % 40)) { Metric = metric, TopPercent = 5, Limit = 10_000 });

        Assert.Equal(SearchMode.TopPercent, result.Mode);
        Assert.Equal(wanted, result.Total); // continuous float data: no ties at the cutoff
        Assert.NotNull(result.Distribution);
        var best = (metric == SimilarityMetric.Cosine ? scores.OrderByDescending(s => s.Score) : scores.OrderBy(s => s.Score)).Take(wanted).Select(s => s.Pixel).Order();
        Assert.Equal(best, result.Matches.Select(m => m.PixelIndex).Order());
    }

    [Fact]
    public void A_batch_gives_the_same_results_as_single_searches()
    {
        var viewport = new InMemoryViewport(45, 45, 128, bytes: true);
        using var searcher = viewport.Open();
        SimilaritySearchRequest[] requests =
        [
            new(ViewportQuery.AtPixel(1, 1)) { Threshold = 0.98f, Limit = 50 },
            new(ViewportQuery.AtPixel(30, 7)) { Metric = SimilarityMetric.Euclidean, Threshold = 0.8f, Limit = 500 },
            new(ViewportQuery.AtPixel(44, 44)) { K = 7, Strategy = SearchStrategy.ExactScan },
            new(ViewportQuery.AtPixel(20, 20)) { TopPercent = 1 },
        ];

        var batch = searcher.SearchBatch(requests);

        for (var i = 0; i < requests.Length; i++)
        {
            var single = searcher.Search(requests[i]);
            Assert.Equal(single.Total, batch[i].Total);
            Assert.Equal(single.Matches, batch[i].Matches);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Asking_for_the_distribution_leaves_an_exact_result_unchanged(bool bytes)
    {
        // With a distribution the exact scan runs from the rank pass's stored dot products instead of
        // the batch's own pass over the rows: the same matches, scores and totals.
        var viewport = new InMemoryViewport(45, 45, 128, bytes);
        using var searcher = viewport.Open();
        SimilaritySearchRequest[] requests =
        [
            new(ViewportQuery.AtPixel(1, 1)) { Threshold = 0.9f, Limit = 50 },
            new(ViewportQuery.AtPixel(30, 7)) { Metric = SimilarityMetric.Euclidean, Threshold = 0.8f, Limit = 500 },
            new(ViewportQuery.AtPixel(44, 44)) { K = 7, Strategy = SearchStrategy.ExactScan },
            new(ViewportQuery.AtPixel(20, 20)) { TopPercent = 3, Limit = 20 },
        ];

        var plain = searcher.SearchBatch(requests);
        var withDistribution = searcher.SearchBatch([.. requests.Select(r => r with { IncludeDistribution = true })]);

        for (var i = 0; i < requests.Length; i++)
        {
            Assert.NotNull(withDistribution[i].Distribution);
            Assert.Equal(plain[i].Total, withDistribution[i].Total);
            Assert.Equal(plain[i].Threshold, withDistribution[i].Threshold);
            Assert.Equal(plain[i].Matches, withDistribution[i].Matches);
            Assert.True(plain[i].Matches.Count > 0);
        }
    }

    [Fact]
    public void Concurrent_searches_agree_with_a_sequential_one()
    {
        var viewport = new InMemoryViewport(40, 40, 128, bytes: false);
        using var searcher = viewport.Open("IVF4,Flat", factor: 2);
        var request = new SimilaritySearchRequest(ViewportQuery.AtPixel(12, 13)) { Threshold = 0.97f };
        var expected = searcher.Search(request);

        var results = Enumerable.Range(0, 16).AsParallel().Select(_ => searcher.Search(request)).ToList();

        Assert.All(results, r => Assert.Equal(expected.Matches, r.Matches));
    }

    [Fact]
    public void Lat_lon_of_a_pixel_centre_maps_back_to_that_pixel()
    {
        var viewport = new InMemoryViewport(31, 37, 8, bytes: true);
        using var searcher = viewport.Open();
        foreach (var (row, col) in new[] { (0, 0), (30, 36), (0, 36), (30, 0), (17, 5) })
        {
            var (lat, lon) = searcher.PixelCenter(row, col);
            Assert.Equal(InMemoryViewport.OriginLat - ((row + 0.5) * InMemoryViewport.Step), lat, 12);
            Assert.Equal(InMemoryViewport.OriginLon + ((col + 0.5) * InMemoryViewport.Step), lon, 12);
            Assert.Equal((row, col), searcher.PixelAt(lat, lon));
        }
    }

    [Fact]
    public void A_lat_lon_query_uses_the_pixel_containing_the_point_and_reports_its_centre()
    {
        var viewport = new InMemoryViewport(31, 37, 16, bytes: true);
        using var searcher = viewport.Open();
        var lat = InMemoryViewport.OriginLat - (12.9 * InMemoryViewport.Step);
        var lon = InMemoryViewport.OriginLon + (20.1 * InMemoryViewport.Step);

        var result = searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtLatLon(lat, lon)) { K = 1, Strategy = SearchStrategy.ExactScan });

        Assert.Equal(12, result.Query.Row);
        Assert.Equal(20, result.Query.Col);
        Assert.Equal(InMemoryViewport.OriginLat - (12.5 * InMemoryViewport.Step), result.Query.Latitude!.Value, 12);
        Assert.Equal((12L * 37) + 20, result.Matches[0].PixelIndex);
    }

    [Theory]
    [InlineData(13.2, 77.501)]
    [InlineData(13.099, 77.4)]
    public void A_point_outside_the_mosaic_is_a_clear_error(double lat, double lon)
    {
        var viewport = new InMemoryViewport(31, 37, 8, bytes: true);
        using var searcher = viewport.Open();

        var error = Assert.Throws<ViewportSearchException>(() => searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtLatLon(lat, lon))));

        Assert.Equal(ViewportSearchErrorKind.OutsideMosaic, error.Kind);
        Assert.Contains("outside", error.Message);
    }

    [Fact]
    public void A_pixel_without_data_cannot_be_a_query()
    {
        var viewport = new InMemoryViewport(31, 37, 8, bytes: true);
        using var searcher = viewport.Open();

        var error = Assert.Throws<ViewportSearchException>(() => searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(4, 4))));

        Assert.Equal(ViewportSearchErrorKind.NoDataAtQuery, error.Kind);
    }

    [Theory]
    [InlineData(0, null, null, 1000, "k")]
    [InlineData(10, 1.5f, null, 1000, "threshold")]
    [InlineData(10, null, 0.0, 1000, "top_percent")]
    [InlineData(10, null, 101.0, 1000, "top_percent")]
    [InlineData(10, 0.5f, null, 0, "limit")]
    [InlineData(10, 0.5f, 5.0, 1000, "threshold")]
    public void Out_of_range_requests_are_rejected_naming_the_field(int k, float? threshold, double? percent, int limit, string field)
    {
        var request = new SimilaritySearchRequest(ViewportQuery.AtPixel(0, 0)) { K = k, Threshold = threshold, TopPercent = percent, Limit = limit };

        var error = Assert.Throws<ViewportSearchException>(request.Validate);

        Assert.Equal(ViewportSearchErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_heat_map_of_a_large_viewport_is_reduced_to_the_maximum_size()
    {
        var viewport = new InMemoryViewport(100, 70, 8, bytes: true);
        using var searcher = viewport.Open();

        var heatmap = searcher.RenderHeatmap(ViewportQuery.AtPixel(50, 50), SimilarityMetric.Cosine, maxSize: 32);

        Assert.Equal(4, heatmap.Factor);
        Assert.Equal(25, heatmap.Image.Height);
        Assert.Equal(18, heatmap.Image.Width);
        Assert.True(heatmap.High > heatmap.Low);
        var query = ((50 / 4 * 18) + (50 / 4)) * 3;
        Assert.Equal(ColorRamp.Viridis(1f), (heatmap.Image.Pixels.Span[query], heatmap.Image.Pixels.Span[query + 1], heatmap.Image.Pixels.Span[query + 2]));
    }

    [Fact]
    public void A_cancelled_scan_stops_with_operation_cancelled()
    {
        var viewport = new InMemoryViewport(200, 200, 16, bytes: true);
        using var searcher = viewport.Open();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(0, 199)) { Threshold = 0.5f }, cancelled.Token));
    }

    [Fact]
    public void A_disposed_searcher_refuses_new_searches()
    {
        var viewport = new InMemoryViewport(10, 10, 8, bytes: true);
        var searcher = viewport.Open();
        searcher.Dispose();

        Assert.Throws<ObjectDisposedException>(() => searcher.Search(new SimilaritySearchRequest(ViewportQuery.AtPixel(0, 0))));
    }

    private static (float Threshold, List<(long Pixel, double Score)> Expected) ThresholdWithGap(InMemoryViewport viewport, int row, int col, SimilarityMetric metric, double share)
    {
        var scores = viewport.BruteForceScores(viewport.IndexedVector(((long)row * viewport.Width) + col), metric);
        var ordered = metric == SimilarityMetric.Cosine ? scores.OrderByDescending(s => s.Score).ToList() : scores.OrderBy(s => s.Score).ToList();

        // A threshold halfway across a clear gap, so float and double agree on every pixel.
        for (var i = (int)(ordered.Count * share); i < ordered.Count - 1; i++)
        {
            if (Math.Abs(ordered[i].Score - ordered[i + 1].Score) > 1e-4)
            {
                var threshold = (float)((ordered[i].Score + ordered[i + 1].Score) / 2);
                return (threshold, ordered.Take(i + 1).ToList());
            }
        }

        throw new InvalidOperationException("No gap in the scores.");
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second)));

    private static double Percentile(double[] sorted, double p)
    {
        var position = p / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
