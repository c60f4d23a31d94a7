namespace Tessera.Indexing.Mosaics.Search;

/// <summary>A query resolved against one viewport: what it named, its vector in the indexed space, and its scorer.</summary>
/// <param name="Resolved">The query as understood (pixel, centre).</param>
/// <param name="Vector">The query vector in the indexed space (normalised for a normalised viewport).</param>
/// <param name="Scoring">Scores rows of the viewport against the query.</param>
internal sealed record PreparedQuery(ResolvedQuery Resolved, float[] Vector, ScoringQuery Scoring);
