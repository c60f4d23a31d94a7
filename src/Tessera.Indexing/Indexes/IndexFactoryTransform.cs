using System.Globalization;

namespace Tessera.Indexing.Indexes;

/// <summary>One pre-transform of a factory string, such as <c>PCA64</c> or <c>OPQ16_64</c>.</summary>
/// <param name="Kind">The transform.</param>
/// <param name="OutputDimension">The dimension it produces; <see langword="null"/> keeps the input dimension.</param>
/// <param name="SubQuantizers">For <see cref="IndexFactoryTransformKind.Opq"/>, the sub-quantizers it is trained for; otherwise 0.</param>
/// <param name="Whitening">For PCA, whether components are whitened (<c>PCAW</c>).</param>
/// <param name="Rotation">For PCA, whether a random rotation follows (<c>PCAR</c>).</param>
public sealed record IndexFactoryTransform(
    IndexFactoryTransformKind Kind,
    int? OutputDimension,
    int SubQuantizers = 0,
    bool Whitening = false,
    bool Rotation = false)
{
    /// <summary>The dimension this transform produces from <paramref name="inputDimension"/>-d vectors.</summary>
    /// <param name="inputDimension">The dimension it receives.</param>
    /// <returns>The dimension it produces.</returns>
    public int GetOutputDimension(int inputDimension) => OutputDimension ?? inputDimension;

    /// <summary>The component in FAISS factory syntax.</summary>
    /// <returns>For example <c>PCAW64</c>, <c>OPQ16_64</c>, <c>RR</c> or <c>L2norm</c>.</returns>
    public override string ToString() => Kind switch
    {
        IndexFactoryTransformKind.Pca => string.Create(CultureInfo.InvariantCulture, $"PCA{(Whitening ? "W" : "")}{(Rotation ? "R" : "")}{OutputDimension}"),
        IndexFactoryTransformKind.Opq => OutputDimension is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"OPQ{SubQuantizers}_{d}")
            : string.Create(CultureInfo.InvariantCulture, $"OPQ{SubQuantizers}"),
        IndexFactoryTransformKind.RandomRotation => string.Create(CultureInfo.InvariantCulture, $"RR{OutputDimension}"),
        _ => "L2norm",
    };
}
