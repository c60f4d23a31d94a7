namespace Tessera.Indexing.Mosaics.Search;

/// <summary>
/// The distribution of a query's scores over every pixel with data in the viewport (exact order
/// statistics; percentiles interpolate linearly between them, as NumPy's default does).
/// </summary>
/// <param name="Count">Pixels with data that were scored.</param>
/// <param name="Min">Smallest score.</param>
/// <param name="P1">1st percentile.</param>
/// <param name="P5">5th percentile.</param>
/// <param name="P25">25th percentile.</param>
/// <param name="P50">Median.</param>
/// <param name="P75">75th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest score.</param>
public sealed record ScoreDistribution(long Count, float Min, float P1, float P5, float P25, float P50, float P75, float P95, float P99, float Max)
{
    /// <summary>The percentiles reported, in order.</summary>
    internal static ReadOnlySpan<double> Percents => [0, 1, 5, 25, 50, 75, 95, 99, 100];

    internal static ScoreDistribution FromPercentiles(long count, ReadOnlySpan<float> values) =>
        new(count, values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8]);
}
