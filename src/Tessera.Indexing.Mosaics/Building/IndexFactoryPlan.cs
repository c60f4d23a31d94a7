using Tessera.Indexing.Indexes;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>
/// Turns the requested FAISS factory string into the one a build uses: wrapped as <c>IDMap2,…</c> when
/// the index cannot take explicit ids, with the <c>IVF</c> list count lowered when the training set is
/// too small for it (FAISS wants at least 39 points per centroid), and with the product quantiser's
/// minimum training-set size (2^bits points) known.
/// </summary>
/// <param name="Requested">The string asked for.</param>
/// <param name="Effective">The string to build.</param>
/// <param name="RequestedNlist">The <c>IVF</c> list count asked for, if any.</param>
/// <param name="Nlist">The <c>IVF</c> list count of <see cref="Effective"/>, if any.</param>
/// <param name="MinimumTrainingPoints">The fewest training vectors the product quantiser accepts (0 without one).</param>
internal sealed record IndexFactoryPlan(string Requested, string Effective, int? RequestedNlist, int? Nlist, int MinimumTrainingPoints)
{
    /// <summary>FAISS's k-means warns below this many points per centroid.</summary>
    public const int MinimumPointsPerCentroid = 39;

    /// <summary>Whether <see cref="Nlist"/> was lowered.</summary>
    public bool NlistLowered => Nlist != RequestedNlist;

    /// <summary>The string as the builder will see it, before any lowering (to check it is understood).</summary>
    public static string Wrap(string requested) =>
        IndexFactorySpec.TryParse(requested, out var spec) ? WithIds(spec).FactoryString : requested.Trim();

    /// <summary>Plans the build of <paramref name="requested"/> with <paramref name="trainingPoints"/> training vectors.</summary>
    public static IndexFactoryPlan Create(string requested, long trainingPoints)
    {
        if (!IndexFactorySpec.TryParse(requested, out var spec))
        {
            return new IndexFactoryPlan(requested, requested.Trim(), null, null, 0);
        }

        spec = WithIds(spec);
        int? requestedNlist = null;
        int? nlist = null;
        if (spec.Structure == IndexStructure.InvertedFile)
        {
            requestedNlist = spec.NList;
            nlist = spec.NList;
            if (trainingPoints < (long)MinimumPointsPerCentroid * spec.NList)
            {
                nlist = (int)Math.Max(1, trainingPoints / MinimumPointsPerCentroid);
                spec = spec.WithNList(nlist.Value);
            }
        }

        return new IndexFactoryPlan(requested, spec.FactoryString, requestedNlist, nlist, spec.MinimumPqTrainingPoints);
    }

    private static IndexFactorySpec WithIds(IndexFactorySpec spec) => spec.AcceptsExplicitIds ? spec : spec.WithIdMap2();
}
