using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Indexing.Mosaics;

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
internal sealed partial record IndexFactoryPlan(string Requested, string Effective, int? RequestedNlist, int? Nlist, int MinimumTrainingPoints)
{
    /// <summary>FAISS's k-means warns below this many points per centroid.</summary>
    public const int MinimumPointsPerCentroid = 39;

    /// <summary>Whether <see cref="Nlist"/> was lowered.</summary>
    public bool NlistLowered => Nlist != RequestedNlist;

    /// <summary>The string as the builder will see it, before any lowering (to check it is understood).</summary>
    public static string Wrap(string requested)
    {
        var s = requested.Trim();
        return NeedsIdMap(s) ? "IDMap2," + s : s;
    }

    /// <summary>Plans the build of <paramref name="requested"/> with <paramref name="trainingPoints"/> training vectors.</summary>
    public static IndexFactoryPlan Create(string requested, long trainingPoints)
    {
        var effective = Wrap(requested);
        int? requestedNlist = null;
        int? nlist = null;
        var ivf = IvfPattern().Match(effective);
        if (ivf.Success && int.TryParse(ivf.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            requestedNlist = n;
            nlist = n;
            if (trainingPoints < (long)MinimumPointsPerCentroid * n)
            {
                nlist = (int)Math.Max(1, trainingPoints / MinimumPointsPerCentroid);
                var digits = ivf.Groups[1];
                effective = string.Concat(effective.AsSpan(0, digits.Index), nlist.Value.ToString(CultureInfo.InvariantCulture), effective.AsSpan(digits.Index + digits.Length));
            }
        }

        var minimum = 0;
        var pq = PqPattern().Match(effective);
        if (pq.Success)
        {
            var bits = 8;
            if (pq.Groups[2].Success && int.TryParse(pq.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b is > 0 and < 31)
            {
                bits = b;
            }

            minimum = 1 << bits;
        }

        return new IndexFactoryPlan(requested, effective, requestedNlist, nlist, minimum);
    }

    private static bool NeedsIdMap(string s) =>
        !s.Contains("IVF", StringComparison.Ordinal) && !s.StartsWith("IDMap", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<![A-Za-z])IVF(\d+)")]
    private static partial Regex IvfPattern();

    [GeneratedRegex(@"(?<![A-Za-z])PQ(\d+)(?:x(\d+))?")]
    private static partial Regex PqPattern();
}
