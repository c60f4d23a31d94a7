namespace Tessera.Indexing.Mosaics.Search;

/// <summary>What one query's pass over all rows found: how many rows passed, and the best of them.</summary>
/// <param name="Total">Rows that passed the threshold (all of them, not only those kept).</param>
/// <param name="Matches">The best passing rows, at most the limit, best first.</param>
internal sealed record ScanOutcome(long Total, (long Pixel, float Score)[] Matches);
