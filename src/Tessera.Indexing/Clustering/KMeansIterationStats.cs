namespace Tessera.Indexing.Clustering;

/// <summary>What one k-means iteration achieved (FAISS's <c>ClusteringIterationStats</c>).</summary>
/// <param name="Iteration">The iteration, from 0.</param>
/// <param name="Objective">Sum of the assigned distances (L2) or similarities (inner product) before the update.</param>
/// <param name="ImbalanceFactor">1 for perfectly balanced clusters; larger is worse.</param>
/// <param name="Splits">Empty clusters re-seeded by splitting a large one.</param>
/// <param name="Elapsed">Time since clustering started.</param>
public readonly record struct KMeansIterationStats(int Iteration, double Objective, double ImbalanceFactor, int Splits, TimeSpan Elapsed);
