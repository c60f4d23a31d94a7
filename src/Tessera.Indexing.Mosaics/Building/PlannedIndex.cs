using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// The index a build fills, created through <see cref="IVectorIndexBuilder.Create"/> before the scan,
/// so a factory string the builder cannot build fails the build at once, before the long read. It is
/// the index that is trained and filled; it is replaced only when the scan finds too few samples
/// for its <c>IVF</c> list count and the plan lowers it.
/// </summary>
internal sealed class PlannedIndex : IDisposable
{
    private PlannedIndex(IVectorIndex index, IndexFactoryPlan plan)
    {
        Index = index;
        Plan = plan;
    }

    /// <summary>The index to train and fill.</summary>
    public IVectorIndex Index { get; private set; }

    /// <summary>The factory string it was created from, and what the plan knows about it.</summary>
    public IndexFactoryPlan Plan { get; private set; }

    /// <summary>Creates the index for the most training points the build can draw.</summary>
    /// <param name="builder">The index builder.</param>
    /// <param name="dimension">The mosaic's band count.</param>
    /// <param name="options">The build's options.</param>
    /// <param name="expectedTrainingPoints">The most training vectors the scan can yield.</param>
    /// <exception cref="MosaicIndexException">The builder cannot build the factory string (<see cref="MosaicIndexErrorKind.InvalidIndexFactory"/>).</exception>
    public static PlannedIndex Create(IVectorIndexBuilder builder, int dimension, MosaicIndexOptions options, long expectedTrainingPoints)
    {
        var plan = IndexFactoryPlan.Create(options.IndexFactory, expectedTrainingPoints);
        return new PlannedIndex(CreateIndex(builder, dimension, plan, options), plan);
    }

    /// <summary>Fits the plan to the training points actually drawn, replacing the index only when its <c>IVF</c> list count must be lowered.</summary>
    /// <param name="builder">The index builder.</param>
    /// <param name="trainingPoints">The training vectors available.</param>
    /// <param name="options">The build's options.</param>
    public void Fit(IVectorIndexBuilder builder, long trainingPoints, MosaicIndexOptions options)
    {
        var plan = IndexFactoryPlan.Create(options.IndexFactory, trainingPoints);
        if (!string.Equals(plan.Effective, Plan.Effective, StringComparison.Ordinal))
        {
            var replacement = CreateIndex(builder, Index.Dimension, plan, options);
            Index.Dispose();
            Index = replacement;
        }

        Plan = plan;
    }

    public void Dispose() => Index.Dispose();

    private static IVectorIndex CreateIndex(IVectorIndexBuilder builder, int dimension, IndexFactoryPlan plan, MosaicIndexOptions options)
    {
        try
        {
            return builder.Create(new VectorIndexSpec(dimension, plan.Effective, options.Metric));
        }
        catch (Exception e) when (e is FaissException or ArgumentException or NotSupportedException or FormatException)
        {
            throw new MosaicIndexException(
                MosaicIndexErrorKind.InvalidIndexFactory,
                $"The index factory string '{options.IndexFactory}' cannot build a {dimension}-d index: {e.Message}",
                e);
        }
    }
}
