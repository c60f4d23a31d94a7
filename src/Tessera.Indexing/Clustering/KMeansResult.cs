namespace Tessera.Indexing.Clustering;

/// <summary>Trained centroids and how the iterations went.</summary>
public sealed class KMeansResult
{
    internal KMeansResult(float[] centroids, int dimension, int count, int trainingPoints, KMeansIterationStats[] iterations)
    {
        Centroids = centroids;
        Dimension = dimension;
        Count = count;
        TrainingPoints = trainingPoints;
        Iterations = iterations;
    }

    /// <summary>The centroids, row-major (<see cref="Count"/> x <see cref="Dimension"/>).</summary>
    public float[] Centroids { get; }

    /// <summary>Centroid dimension.</summary>
    public int Dimension { get; }

    /// <summary>Number of centroids (k).</summary>
    public int Count { get; }

    /// <summary>Points actually clustered (after subsampling).</summary>
    public int TrainingPoints { get; }

    /// <summary>Per-iteration statistics.</summary>
    public IReadOnlyList<KMeansIterationStats> Iterations { get; }

    /// <summary>The objective of the last iteration (NaN when no iteration ran).</summary>
    public double FinalObjective => Iterations.Count == 0 ? double.NaN : Iterations[^1].Objective;
}
