using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Indexing.Quantization;

/// <summary>
/// The FAISS factory strings the managed builder trains itself: <c>IVF{nlist},Flat</c> and
/// <c>IVF{nlist},PQ{M}[x{bits}][np]</c>. Anything else (pre-transforms, OPQ, IDMap, refinement,
/// fast-scan, HNSW coarse quantizers, scalar quantizers) is left to FAISS.
/// </summary>
internal sealed partial record IvfFactoryDescription(int NList, bool IsFlat, int SubQuantizers, int BitsPerCode, bool Polysemous)
{
    public static IvfFactoryDescription? TryParse(string? factoryString)
    {
        if (factoryString is null)
        {
            return null;
        }

        var match = Pattern().Match(factoryString.Trim());
        if (!match.Success
            || !int.TryParse(match.Groups["nlist"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var nlist)
            || nlist < 1)
        {
            return null;
        }

        if (match.Groups["flat"].Success)
        {
            return new IvfFactoryDescription(nlist, true, 0, 0, false);
        }

        if (!int.TryParse(match.Groups["m"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m < 1)
        {
            return null;
        }

        var bits = 8;
        if (match.Groups["bits"].Success
            && (!int.TryParse(match.Groups["bits"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits < 1 || bits > 16))
        {
            return null;
        }

        return new IvfFactoryDescription(nlist, false, m, bits, !match.Groups["np"].Success);
    }

    [GeneratedRegex(@"^IVF(?<nlist>[0-9]+),(?:(?<flat>Flat)|PQ(?<m>[0-9]+)(?:x(?<bits>[0-9]+))?(?<np>np)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
