using Tessera.Indexing.Imaging;

namespace Tessera.Indexing.Mosaics.Search;

/// <summary>A rendered similarity heat map of a viewport for one query.</summary>
/// <param name="Image">The RGB image; pixels without data are dark grey.</param>
/// <param name="Factor">Each image pixel covers factor × factor viewport pixels (the best score among them is shown).</param>
/// <param name="Low">The score drawn with the ramp's first colour (least similar).</param>
/// <param name="High">The score drawn with the ramp's last colour (most similar).</param>
/// <param name="Metric">The metric of the scores.</param>
public sealed record SimilarityHeatmap(RgbImage Image, int Factor, float Low, float High, SimilarityMetric Metric);
