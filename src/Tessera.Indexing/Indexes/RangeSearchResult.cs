namespace Tessera.Indexing.Indexes;

/// <summary>
/// Results of a range search for several queries, in FAISS's compact layout: the hits of query
/// <c>q</c> are <c>Labels[Limits[q]..Limits[q + 1]]</c> and the same slice of <c>Distances</c>.
/// </summary>
public sealed class RangeSearchResult
{
    /// <summary>Creates a result from its three arrays.</summary>
    /// <param name="limits">Query offsets, <c>queries + 1</c> entries.</param>
    /// <param name="labels">Labels of all hits.</param>
    /// <param name="distances">Distances of all hits.</param>
    public RangeSearchResult(long[] limits, long[] labels, float[] distances)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(distances);
        if (limits.Length == 0 || labels.Length != distances.Length || limits[^1] != labels.Length)
        {
            throw new ArgumentException("Inconsistent range search arrays.");
        }

        Limits = limits;
        Labels = labels;
        Distances = distances;
    }

    /// <summary>Number of queries.</summary>
    public int QueryCount => Limits.Count - 1;

    /// <summary>Query offsets into <see cref="Labels"/> and <see cref="Distances"/>.</summary>
    public IReadOnlyList<long> Limits { get; }

    /// <summary>Labels of all hits, query by query.</summary>
    public IReadOnlyList<long> Labels { get; }

    /// <summary>Distances of all hits, query by query.</summary>
    public IReadOnlyList<float> Distances { get; }

    /// <summary>The hits of one query.</summary>
    /// <param name="query">Query number.</param>
    /// <returns>The hits, in FAISS's order.</returns>
    public SearchHit[] GetHits(int query)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(query);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(query, QueryCount);
        var start = (int)Limits[query];
        var end = (int)Limits[query + 1];
        var hits = new SearchHit[end - start];
        for (var i = 0; i < hits.Length; i++)
        {
            hits[i] = new SearchHit(Labels[start + i], Distances[start + i]);
        }

        return hits;
    }
}
