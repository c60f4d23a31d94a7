namespace Tessera.Indexing.Mosaics;

/// <summary>A progress report of a mosaic index build.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="StageFraction">How far the stage is, 0 to 1.</param>
/// <param name="OverallFraction">How far the whole build is, 0 to 1 (stages weighted by their usual cost).</param>
/// <param name="Message">A short human-readable description.</param>
public readonly record struct MosaicIndexProgress(MosaicIndexStage Stage, double StageFraction, double OverallFraction, string Message);
