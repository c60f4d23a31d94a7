namespace Tessera.Indexing.Mosaics.Search;

/// <summary>Which question a search answers.</summary>
public enum SearchMode
{
    /// <summary>The k most similar pixels.</summary>
    TopK,

    /// <summary>Every pixel at least as similar as a threshold (cosine ≥ T, distance ≤ T).</summary>
    Threshold,

    /// <summary>The top P percent most similar pixels of the viewport.</summary>
    TopPercent,
}
