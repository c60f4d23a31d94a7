using BenchmarkDotNet.Attributes;
using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Rasters;
using Tessera.Indexing.Mosaics.Search;

namespace Tessera.Indexing.Benchmarks.Search;

/// <summary>
/// The two threshold strategies on one viewport (1024 × 1024 × 128 uint8, blobby classes; an
/// IVF256,Flat L2 index over every 4th pixel in both directions, as the mosaic indexer samples):
/// FAISS range-search candidates + exact filter of each candidate's 4 × 4 cell, against the exact
/// SIMD scan of every pixel. L2 distance ≤ T with T at about the 99th percentile.
/// </summary>
public unsafe class ThresholdStrategyBenchmarks
{
    private const int Side = 1024;
    private const int Dimension = 128;
    private const int Factor = 4;
    private ViewportSearcher? _searcher;
    private SimilaritySearchRequest? _request;

    [GlobalSetup]
    public void Setup()
    {
        var rows = (long)Side * Side;
        var buffer = new NativeEmbeddingBuffer(rows, Dimension, EmbeddingElementType.UInt8, 1f / 255f);
        var random = new Random(3);
        const int classes = 8;
        var prototypes = new byte[classes * Dimension];
        random.NextBytes(prototypes);
        var bytes = buffer.AsBytes();
        for (var row = 0; row < Side; row++)
        {
            for (var col = 0; col < Side; col++)
            {
                var c = (((col + (int)(20 * Math.Sin(row / 40.0))) / 64) + (row / 48 * 3)) % classes;
                var offset = ((long)row * Side + col) * Dimension;
                for (var d = 0; d < Dimension; d++)
                {
                    bytes[(int)(offset + d)] = (byte)Math.Clamp(prototypes[(c * Dimension) + d] + random.Next(-12, 13), 1, 255);
                }
            }
        }

        var sampled = new List<long>();
        for (var row = 0; row < Side; row += Factor)
        {
            for (var col = 0; col < Side; col += Factor)
            {
                sampled.Add(((long)row * Side) + col);
            }
        }

        var vectors = new float[sampled.Count * Dimension];
        for (var i = 0; i < sampled.Count; i++)
        {
            buffer.Matrix.ReadVector(sampled[i], vectors.AsSpan(i * Dimension, Dimension));
        }

        var index = FaissIndex.Create(Dimension, "IVF256,Flat", VectorMetric.L2);
        index.Train(vectors);
        index.Add(vectors, sampled.ToArray());
        var layout = new ViewportLayout("bench", Side, Side, Dimension, new GeoTransform(77.5, 0.0001, 0, 13.1, 0, -0.0001), "EPSG:4326", false, Factor, 0, 0);
        _searcher = new ViewportSearcher(layout, buffer.Matrix, buffer, index, false, null, null);

        var query = ViewportQuery.AtPixel(500, 500);
        var distribution = _searcher.GetScoreDistribution(query, SimilarityMetric.Euclidean);
        _request = new SimilaritySearchRequest(query) { Metric = SimilarityMetric.Euclidean, Threshold = distribution.P1, Limit = 1000 };

        // What each strategy finds (the range strategy is approximate over a sampled index).
        Console.WriteLine(
            $"// matches: exact scan {ExactScan()}, range nprobe 16 {FaissRangeNprobe16()}, range nprobe 64 {FaissRangeNprobe64()} (T = {distribution.P1})");
    }

    [GlobalCleanup]
    public void Cleanup() => _searcher?.Dispose();

    /// <summary>The exact SIMD scan of every pixel, every core (the default).</summary>
    [Benchmark(Baseline = true)]
    public long ExactScan() => _searcher!.Search(_request! with { Strategy = SearchStrategy.ExactScan }).Total;

    /// <summary>FAISS range search (nprobe 16 of 256) for candidates, then the exact filter of their cells.</summary>
    [Benchmark]
    public long FaissRangeNprobe16() => _searcher!.Search(_request! with { Strategy = SearchStrategy.FaissRangeCandidates, NProbe = 16 }).Total;

    /// <summary>FAISS range search (nprobe 64 of 256) for candidates, then the exact filter of their cells.</summary>
    [Benchmark]
    public long FaissRangeNprobe64() => _searcher!.Search(_request! with { Strategy = SearchStrategy.FaissRangeCandidates, NProbe = 64 }).Total;
}
