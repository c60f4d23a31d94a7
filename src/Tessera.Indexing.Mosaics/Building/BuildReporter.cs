namespace Tessera.Indexing.Mosaics.Building;

/// <summary>Reports a build's progress with an overall fraction from fixed stage weights.</summary>
internal sealed class BuildReporter(IProgress<MosaicIndexProgress>? progress)
{
    public void Report(MosaicIndexStage stage, double fraction, string message)
    {
        if (progress is null)
        {
            return;
        }

        var (start, end) = stage switch
        {
            MosaicIndexStage.Validating => (0.0, 0.02),
            MosaicIndexStage.Scanning => (0.02, 0.6),
            MosaicIndexStage.Training => (0.6, 0.8),
            MosaicIndexStage.Adding => (0.8, 0.95),
            MosaicIndexStage.Saving => (0.95, 1.0),
            _ => (1.0, 1.0),
        };
        fraction = Math.Clamp(fraction, 0, 1);
        progress.Report(new MosaicIndexProgress(stage, fraction, start + ((end - start) * fraction), message));
    }
}
