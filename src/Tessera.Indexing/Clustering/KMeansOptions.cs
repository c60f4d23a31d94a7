using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Clustering;

/// <summary>
/// k-means settings. The defaults are FAISS 1.7.3's <c>ClusteringParameters</c> (25 iterations,
/// seed 1234, at most 256 and ideally at least 39 points per centroid); FAISS's IVF coarse
/// quantizer uses 10 iterations (<see cref="CoarseQuantizerDefaults"/>).
/// </summary>
public sealed class KMeansOptions
{
    /// <summary>Lloyd iterations (FAISS <c>niter</c>).</summary>
    public int Iterations { get; set; } = 25;

    /// <summary>Seed of the subsampling and initialisation permutations (FAISS <c>seed</c>).</summary>
    public long Seed { get; set; } = 1234;

    /// <summary>Above <c>k</c> times this many points, a seeded random subset of that size is clustered (FAISS <c>max_points_per_centroid</c>).</summary>
    public int MaxPointsPerCentroid { get; set; } = 256;

    /// <summary>Below <c>k</c> times this many points a warning is logged (FAISS <c>min_points_per_centroid</c>).</summary>
    public int MinPointsPerCentroid { get; set; } = 39;

    /// <summary>L2 assigns each point to the nearest centroid; inner product to the most similar one.</summary>
    public VectorMetric Metric { get; set; } = VectorMetric.L2;

    /// <summary>Normalise the centroids to unit L2 norm after every update (FAISS <c>spherical</c>; FAISS sets it for inner-product IVF indexes).</summary>
    public bool Spherical { get; set; }

    /// <summary>Threads used for the assignment and update steps; -1 (the default) uses every core.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>FAISS's settings for an L2 IVF index's coarse quantizer: as the defaults, with 10 iterations.</summary>
    public static KMeansOptions CoarseQuantizerDefaults => CoarseQuantizer(VectorMetric.L2);

    /// <summary>
    /// FAISS's settings for an IVF index's coarse quantizer: 10 iterations; for inner product, the
    /// quantizer assigns by largest inner product and the clustering is spherical.
    /// </summary>
    /// <param name="metric">The index's metric.</param>
    /// <returns>The options.</returns>
    public static KMeansOptions CoarseQuantizer(VectorMetric metric) =>
        new() { Iterations = 10, Metric = metric, Spherical = metric == VectorMetric.InnerProduct };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Iterations, 0, nameof(Iterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPointsPerCentroid, 1, nameof(MaxPointsPerCentroid));
        ArgumentOutOfRangeException.ThrowIfNegative(MinPointsPerCentroid, nameof(MinPointsPerCentroid));
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use -1 for every core or a positive thread count.");
        }

        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "Unknown metric.");
        }
    }

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public KMeansOptions Clone() => (KMeansOptions)MemberwiseClone();

    internal int ResolveDegreeOfParallelism() => MaxDegreeOfParallelism < 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
}
