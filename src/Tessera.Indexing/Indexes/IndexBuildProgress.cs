namespace Tessera.Indexing.Indexes;

/// <summary>One step of an index build.</summary>
/// <param name="Stage">The stage the step belongs to.</param>
/// <param name="Completed">Work done in this stage so far in this call (iterations, sub-spaces or vectors).</param>
/// <param name="Total">Work this stage has in this call, in the same unit.</param>
/// <param name="Elapsed">Wall time of the step this report covers (not cumulative): summing the reports of a stage gives its time.</param>
public readonly record struct IndexBuildProgress(IndexBuildStage Stage, long Completed, long Total, TimeSpan Elapsed)
{
    /// <summary>Completed / Total, between 0 and 1.</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp((double)Completed / Total, 0, 1);
}
